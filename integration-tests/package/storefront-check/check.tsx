// A storefront file as a store writes it with medusa-plugin-xcover/storefront: type-checked (with
// Medusa's Next.js starter's compiler options) and bundled in the package test's installed app.
"use client"

import Medusa from "@medusajs/js-sdk"
import type { HttpTypes } from "@medusajs/types"
import {
  XcoverCoverLine,
  XcoverOffer,
  XcoverPolicies,
  isXcoverCoverLine,
  listXcoverPolicies,
  quoteXcoverOffer,
  xcoverCoverTotal,
  xcoverStoreActions,
  type XcoverPolicy,
  type XcoverQuoteResult,
} from "medusa-plugin-xcover/storefront"

const sdk = new Medusa({
  baseUrl: "http://localhost:9000",
  publishableKey: "pk_test",
})
const actions = xcoverStoreActions(sdk)

export async function firstPrice(
  cartId: string,
  lineId: string
): Promise<string | null> {
  const result: XcoverQuoteResult = await quoteXcoverOffer(
    sdk,
    cartId,
    lineId,
    { authorization: "Bearer t" }
  )
  return result.kind === "offer"
    ? (result.offer.quotes[0]?.price.formatted ?? null)
    : null
}

// A Next.js server action, with the starter's getAuthHeaders() shape.
// The starter's own type, `{}` included, on purpose.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
declare function getAuthHeaders(): Promise<{ authorization: string } | {}>
export async function quoteOnServer(
  cartId: string,
  lineId: string
): Promise<XcoverQuoteResult> {
  return quoteXcoverOffer(sdk, cartId, lineId, await getAuthHeaders())
}

export async function policyNumbers(
  orderId: string
): Promise<(string | null)[]> {
  const policies: XcoverPolicy[] = await listXcoverPolicies(sdk, orderId)
  return policies.map((p) => p.policy_number)
}

// The starter's own cart and order types go straight in.
export function Cart({
  cart,
  onChange,
}: {
  cart: HttpTypes.StoreCart
  onChange: (cart: { id: string; total?: number | null }) => void
}) {
  const lines = cart.items ?? []
  return (
    <div>
      {lines.map((item) =>
        isXcoverCoverLine(item) ? (
          <XcoverCoverLine
            key={item.id}
            item={item}
            currencyCode={cart.currency_code}
            actions={actions}
            onCartChange={onChange}
          />
        ) : (
          <XcoverOffer
            key={item.id}
            cart={cart}
            lineItemId={item.id}
            actions={actions}
            onCartChange={onChange}
            labels={{ noThanks: "Nein danke" }}
          />
        )
      )}
      <span>{xcoverCoverTotal(cart.items)}</span>
    </div>
  )
}

export function Confirmation({ order }: { order: HttpTypes.StoreOrder }) {
  const cover: number = xcoverCoverTotal(order.items)
  return (
    cover > 0 && (
      <XcoverPolicies
        order={order}
        actions={{ policies: (id) => listXcoverPolicies(sdk, id) }}
        pollIntervalMs={2000}
      />
    )
  )
}
