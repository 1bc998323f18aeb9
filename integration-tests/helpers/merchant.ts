import type { Api } from "./storefront"

export type OrderLine = {
  id: string
  variant_id: string | null
  requires_shipping: boolean
  quantity: number
  metadata: Record<string, unknown> | null
}

/**
 * What a merchant does to an order through Medusa's (2.21) admin API: fulfil it, take items
 * back in a return or a claim, receive that return, and edit it.
 */
export class Merchant {
  constructor(
    private readonly api: Api,
    private readonly admin: { headers: Record<string, string> }
  ) {}

  async lines(orderId: string): Promise<OrderLine[]> {
    const { data } = await this.api.get(
      `/admin/orders/${orderId}?fields=id,*items,+items.metadata,+items.requires_shipping`,
      this.admin
    )
    return data.order.items
  }

  /**
   * Fulfils every line: one fulfillment per shipping requirement (Medusa refuses to mix lines
   * that ship with lines that do not, such as a cover line). A line must be fulfilled before it
   * can be returned.
   */
  async fulfilAll(orderId: string): Promise<void> {
    const lines = await this.lines(orderId)
    for (const group of [
      lines.filter((l) => l.requires_shipping),
      lines.filter((l) => !l.requires_shipping),
    ]) {
      if (group.length) {
        await this.api.post(
          `/admin/orders/${orderId}/fulfillments`,
          {
            items: group.map((l) => ({
              id: l.id,
              quantity: Number(l.quantity),
            })),
          },
          this.admin
        )
      }
    }
  }

  /** A return of the given lines (one of each), requested, then received in full. Returns its id. */
  async returnLines(orderId: string, lineIds: string[]): Promise<string> {
    const {
      data: { return: created },
    } = await this.api.post("/admin/returns", { order_id: orderId }, this.admin)
    await this.api.post(
      `/admin/returns/${created.id}/request-items`,
      { items: lineIds.map((id) => ({ id, quantity: 1 })) },
      this.admin
    )
    await this.api.post(`/admin/returns/${created.id}/request`, {}, this.admin)
    await this.receive(created.id, lineIds)
    return created.id
  }

  /** A claim (refund) taking the given lines back, confirmed. Returns the claim and its return. */
  async claimLines(
    orderId: string,
    lineIds: string[]
  ): Promise<{ claimId: string; returnId: string }> {
    const {
      data: { claim },
    } = await this.api.post(
      "/admin/claims",
      { order_id: orderId, type: "refund" },
      this.admin
    )
    const {
      data: { return: inbound },
    } = await this.api.post(
      `/admin/claims/${claim.id}/inbound/items`,
      { items: lineIds.map((id) => ({ id, quantity: 1 })) },
      this.admin
    )
    await this.api.post(`/admin/claims/${claim.id}/request`, {}, this.admin)
    return { claimId: claim.id, returnId: inbound.id }
  }

  /** Receives one of each of the given lines of a requested return, and confirms the receipt. */
  async receive(returnId: string, lineIds: string[]): Promise<void> {
    await this.api.post(`/admin/returns/${returnId}/receive`, {}, this.admin)
    await this.api.post(
      `/admin/returns/${returnId}/receive-items`,
      { items: lineIds.map((id) => ({ id, quantity: 1 })) },
      this.admin
    )
    await this.api.post(
      `/admin/returns/${returnId}/receive/confirm`,
      {},
      this.admin
    )
  }

  /** An order edit setting lines' quantities (0 removes a line), requested and confirmed. */
  async editQuantities(
    orderId: string,
    quantities: Record<string, number>
  ): Promise<void> {
    // Medusa's order-edit routes are keyed by the order's id.
    await this.api.post("/admin/order-edits", { order_id: orderId }, this.admin)
    for (const [lineId, quantity] of Object.entries(quantities)) {
      await this.api.post(
        `/admin/order-edits/${orderId}/items/item/${lineId}`,
        { quantity },
        this.admin
      )
    }
    await this.api.post(`/admin/order-edits/${orderId}/request`, {}, this.admin)
    await this.api.post(`/admin/order-edits/${orderId}/confirm`, {}, this.admin)
  }
}
