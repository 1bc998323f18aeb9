import type { CancellationReason } from "../models/xcover-cancellation"

/**
 * What the store's order says of its covers now, as the reconciler reads it: its status, and per
 * offer the lines naming it (the plugin's cover line, or a storefront's line) with what is left
 * of them (ordered, less what came back in received returns, claims and exchanges included).
 * An order edit that removes a line takes it out of the order's current version.
 */
export type OrderCoverState = {
  id: string
  status: string | null
  /** `quantity` null: not known (then nothing is concluded from the line). */
  lines: {
    offer_id: string
    quantity: number | null
    returned_quantity: number
  }[]
  /** Whether the order's lines were read (any at all): only then does a missing line mean it was removed. */
  lines_read: boolean
}

/** A policy the ledger holds for an order: booked (or being booked), not cancelled at XCover. */
export type LivePolicy = {
  order_id: string
  offer_id: string
  /** A cancellation was asked for already (it goes out, or went out, through the outbox). */
  cancellation_asked: boolean
}

/** A live policy the order no longer pays for, and why. */
export type Drift = {
  order_id: string
  offer_id: string
  reason: Extract<
    CancellationReason,
    "order_canceled" | "returned" | "order_edited"
  >
}

/**
 * The books' invariant for one order: a policy for every cover paid for and kept, none
 * otherwise. Compares the order as it is now with the live policies and returns each policy
 * that must be cancelled and is not yet asked for. Pure, so a page of orders is compared in
 * memory after one read of each side.
 */
export function findDrift(
  order: OrderCoverState,
  policies: LivePolicy[]
): Drift[] {
  return policies.flatMap((policy): Drift[] => {
    if (policy.cancellation_asked || policy.order_id !== order.id) {
      return []
    }
    if (order.status === "canceled") {
      return [
        {
          order_id: order.id,
          offer_id: policy.offer_id,
          reason: "order_canceled",
        },
      ]
    }
    const lines = order.lines.filter((l) => l.offer_id === policy.offer_id)
    // Every policy was booked from a line naming its offer: an order without it now was edited.
    if (!lines.length) {
      return order.lines_read
        ? [
            {
              order_id: order.id,
              offer_id: policy.offer_id,
              reason: "order_edited",
            },
          ]
        : []
    }
    // A quantity not read is never taken for 0: that would cancel a policy that is kept.
    if (lines.some((l) => l.quantity === null)) {
      return []
    }
    const kept = lines.reduce(
      (sum, l) => sum + Math.max(0, (l.quantity ?? 0) - l.returned_quantity),
      0
    )
    if (kept > 0) {
      return []
    }
    // Nothing left of the lines that paid for the cover: returned if any came back, else edited away.
    const returned = lines.some((l) => l.returned_quantity > 0)
    return [
      {
        order_id: order.id,
        offer_id: policy.offer_id,
        reason: returned ? "returned" : "order_edited",
      },
    ]
  })
}
