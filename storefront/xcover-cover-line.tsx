"use client"

import { Button, Text, clx } from "@medusajs/ui"
import { useState } from "react"
import {
  formatXcoverAmount,
  xcoverCoverOf,
  type XcoverCart,
  type XcoverCartLine,
  type XcoverStoreActions,
} from "./api.js"
import { xcoverLabels, type XcoverLabels } from "./labels.js"

export type XcoverCoverLineProps = {
  /** A cart line for which `isXcoverCoverLine(line)` is true; anything else renders nothing. */
  item: XcoverCartLine
  /** The cart's id; defaults to the line's `cart_id`. */
  cartId?: string
  currencyCode: string
  /** Without it the line has no remove action (a checkout summary, say). */
  actions?: Pick<XcoverStoreActions, "deselect">
  onCartChange?: (cart: XcoverCart) => void
  labels?: Partial<XcoverLabels>
  className?: string
}

/**
 * The plugin's cover line in the cart, in place of a product line: the plan and the product it
 * covers, its price, and a remove action. No product link and no quantity: the cover is priced
 * by XCover for its line and follows that line's quantity by itself.
 */
export function XcoverCoverLine({
  item,
  cartId,
  currencyCode,
  actions,
  onCartChange,
  labels,
  className,
}: XcoverCoverLineProps) {
  const text = xcoverLabels(labels)
  const [removing, setRemoving] = useState(false)
  const [error, setError] = useState(false)
  const cover = xcoverCoverOf(item)
  const cart = cartId ?? item.cart_id
  if (!cover || !cart) {
    return null
  }
  const amount = item.total ?? (item.unit_price ?? 0) * (item.quantity ?? 1)
  const remove = async () => {
    if (!actions) {
      return
    }
    setRemoving(true)
    setError(false)
    try {
      const updated = await actions.deselect(cart, cover.offerId)
      onCartChange?.(updated)
    } catch {
      setError(true)
    } finally {
      setRemoving(false)
    }
  }
  return (
    <div
      className={clx("flex items-start justify-between gap-x-4", className)}
      data-testid="xcover-cover-line"
      data-offer-id={cover.offerId}
    >
      <div className="flex flex-col gap-y-0.5">
        <Text
          className="txt-medium-plus text-ui-fg-base"
          data-testid="xcover-cover-plan"
        >
          {item.title}
        </Text>
        {item.subtitle && (
          <Text
            size="small"
            className="text-ui-fg-subtle"
            data-testid="xcover-cover-covered"
          >
            {text.covers} {item.subtitle}
          </Text>
        )}
        {error && (
          <Text size="small" role="alert" className="text-ui-fg-error">
            {text.removeFailed}
          </Text>
        )}
      </div>
      <div className="flex flex-col items-end gap-y-1">
        <Text
          className="txt-medium-plus text-ui-fg-base"
          data-testid="xcover-cover-price"
        >
          {formatXcoverAmount(amount, currencyCode)}
        </Text>
        {actions && (
          <Button
            variant="transparent"
            size="small"
            onClick={() => void remove()}
            isLoading={removing}
            aria-label={`${text.remove} ${item.title ?? text.protection}${item.subtitle ? ` (${item.subtitle})` : ""}`}
          >
            {text.remove}
          </Button>
        )}
      </div>
    </div>
  )
}
