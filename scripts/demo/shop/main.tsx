// The demo's shop: one product, the cart with XCover's offer, checkout with Medusa's system
// payment provider, the order confirmation with the policy. Built on the package's storefront
// entry point (imported from its sources here) and Medusa's JS SDK, against the store API served
// from the same origin. The store is named in the address: /shop/?pk=<publishable key>&region=
// <region id>&variant=<variant id>&shipping=<shipping option id>.
import Medusa from "@medusajs/js-sdk"
import { Button, Container, Heading, Text } from "@medusajs/ui"
import { StrictMode, useCallback, useEffect, useMemo, useState } from "react"
import { createRoot } from "react-dom/client"
import {
  XcoverCoverLine,
  XcoverOffer,
  XcoverPolicies,
  formatXcoverAmount,
  isXcoverCoverLine,
  xcoverCoverTotal,
  xcoverStoreActions,
  type XcoverCart,
} from "../../../storefront/index.js"
import "./styles.css"

const params = new URLSearchParams(window.location.search)
const STORE = {
  publishableKey: params.get("pk") ?? "",
  regionId: params.get("region") ?? "",
  variantId: params.get("variant") ?? "",
  shippingOptionId: params.get("shipping") ?? "",
}
/** How soon the offer asks again while XCover is unavailable (the browser test shortens it). */
const RETRY_UNAVAILABLE_MS = Number(params.get("xcover_retry_ms") ?? 30_000)
const sdk = new Medusa({
  baseUrl: window.location.origin,
  publishableKey: STORE.publishableKey,
})
const actions = xcoverStoreActions(sdk)
/** The cart fields the page shows: what the plugin's select and deselect answer as well. */
const CART_FIELDS =
  "id,currency_code,total,item_total,shipping_total,tax_total,*items,+items.metadata,+items.total"

type Cart = XcoverCart & {
  item_total?: number | null
  shipping_total?: number | null
  tax_total?: number | null
}
type Variant = {
  id: string
  title: string | null
  product_title: string
  price: number | null
  currency: string
}
type Order = {
  id: string
  display_id?: number
  total: number
  currency_code: string
  items?: XcoverCart["items"]
}

function App() {
  const [variant, setVariant] = useState<Variant | null>(null)
  const [cart, setCart] = useState<Cart | null>(null)
  const [order, setOrder] = useState<Order | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    sdk.store.product
      .list({
        region_id: STORE.regionId,
        fields: "id,title,*variants,*variants.calculated_price",
      })
      .then(({ products }) => {
        for (const p of products) {
          const v = p.variants?.find((x) => x.id === STORE.variantId)
          if (v) {
            const price = v.calculated_price
            setVariant({
              id: v.id,
              title: v.title,
              product_title: p.title,
              price: price?.calculated_amount ?? null,
              currency: price?.currency_code ?? "eur",
            })
          }
        }
      })
      .catch(() => setError("The product could not be loaded."))
  }, [])

  const run = useCallback(async (what: string, fn: () => Promise<void>) => {
    setBusy(true)
    setError(null)
    try {
      await fn()
    } catch {
      setError(`${what} failed. Please try again.`)
    } finally {
      setBusy(false)
    }
  }, [])

  const addToCart = () =>
    run("Adding to cart", async () => {
      const { cart: created } = await sdk.store.cart.create(
        {
          region_id: STORE.regionId,
          email: `shopper-${Date.now().toString(36)}@example.com`,
          shipping_address: {
            first_name: "Ada",
            last_name: "Lovelace",
            address_1: "Street 2",
            city: "Berlin",
            country_code: "de",
            postal_code: "10115",
          },
          items: [{ variant_id: STORE.variantId, quantity: 1 }],
        },
        { fields: CART_FIELDS }
      )
      setCart(created as Cart)
    })

  const checkout = (current: Cart) =>
    run("Checkout", async () => {
      await sdk.store.cart.addShippingMethod(current.id, {
        option_id: STORE.shippingOptionId,
      })
      const { payment_collection } = await sdk.client.fetch<{
        payment_collection: { id: string }
      }>("/store/payment-collections", {
        method: "POST",
        body: { cart_id: current.id },
      })
      await sdk.client.fetch(
        `/store/payment-collections/${payment_collection.id}/payment-sessions`,
        {
          method: "POST",
          body: { provider_id: "pp_system_default" },
        }
      )
      const completed = await sdk.store.cart.complete(current.id)
      if (completed.type !== "order") {
        throw new Error(completed.error.message)
      }
      setOrder(completed.order)
    })

  return (
    <main className="mx-auto flex max-w-2xl flex-col gap-y-6 p-8">
      <Heading level="h1">XCover demo shop</Heading>
      {error && (
        <Text role="alert" className="text-ui-fg-error">
          {error}
        </Text>
      )}
      {order ? (
        <Confirmation order={order} />
      ) : cart ? (
        <CartView
          cart={cart}
          onCartChange={(next) => setCart((prev) => ({ ...prev, ...next }))}
          onCheckout={() => checkout(cart)}
          busy={busy}
        />
      ) : (
        <Container
          className="flex items-center justify-between"
          data-testid="product"
        >
          <div>
            <Text weight="plus">
              {variant
                ? `${variant.product_title} (${variant.title})`
                : "Loading…"}
            </Text>
            {variant?.price != null && (
              <Text className="text-ui-fg-subtle">
                {formatXcoverAmount(variant.price, variant.currency, "en-US")}
              </Text>
            )}
          </div>
          <Button
            onClick={() => void addToCart()}
            disabled={!variant}
            isLoading={busy}
          >
            Add to cart
          </Button>
        </Container>
      )}
    </main>
  )
}

function CartView({
  cart,
  onCartChange,
  onCheckout,
  busy,
}: {
  cart: Cart
  onCartChange: (cart: XcoverCart) => void
  onCheckout: () => void
  busy: boolean
}) {
  const items = cart.items ?? []
  const products = items.filter((i) => !isXcoverCoverLine(i))
  const covers = items.filter(isXcoverCoverLine)
  const money = (amount: number | null | undefined) =>
    formatXcoverAmount(amount ?? 0, cart.currency_code, "en-US")
  const cover = xcoverCoverTotal(items)
  return (
    <section
      className="flex flex-col gap-y-4"
      aria-label="Cart"
      data-cart-id={cart.id}
    >
      <Heading level="h2">Cart</Heading>
      <Container className="flex flex-col gap-y-4">
        {products.map((item) => (
          <div
            key={item.id}
            className="flex justify-between"
            data-testid="product-line"
          >
            <Text>
              {item.title} × {item.quantity}
            </Text>
            <Text>{money(item.total)}</Text>
          </div>
        ))}
        {covers.map((item) => (
          <XcoverCoverLine
            key={item.id}
            item={item}
            cartId={cart.id}
            currencyCode={cart.currency_code}
            actions={actions}
            onCartChange={onCartChange}
          />
        ))}
      </Container>
      {products.map((item) => (
        <XcoverOffer
          key={item.id}
          cart={cart}
          lineItemId={item.id}
          actions={actions}
          onCartChange={onCartChange}
          retryUnavailableMs={RETRY_UNAVAILABLE_MS}
        />
      ))}
      <Container className="flex flex-col gap-y-2">
        {cover > 0 && (
          <div className="flex justify-between text-ui-fg-subtle">
            <Text>Protection</Text>
            <Text data-testid="cart-protection">{money(cover)}</Text>
          </div>
        )}
        <div className="flex justify-between">
          <Text weight="plus">Total</Text>
          <Text
            weight="plus"
            data-testid="cart-total"
            data-value={cart.total ?? 0}
          >
            {money(cart.total)}
          </Text>
        </div>
        <Button onClick={onCheckout} isLoading={busy} className="self-end">
          Place order
        </Button>
      </Container>
    </section>
  )
}

function Confirmation({ order }: { order: Order }) {
  const policyActions = useMemo(() => ({ policies: actions.policies }), [])
  return (
    <section className="flex flex-col gap-y-4" aria-label="Order confirmation">
      <Container className="flex flex-col gap-y-1">
        <Heading level="h2">Thank you! Your order was placed.</Heading>
        <Text data-testid="order-id" data-order-id={order.id}>
          Order #{order.display_id} ·{" "}
          {formatXcoverAmount(order.total, order.currency_code, "en-US")}
        </Text>
      </Container>
      <XcoverPolicies
        order={order}
        actions={policyActions}
        pollIntervalMs={500}
      />
    </section>
  )
}

createRoot(document.getElementById("root") as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>
)
