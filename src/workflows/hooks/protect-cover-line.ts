import { updateLineItemInCartWorkflow } from "@medusajs/medusa/core-flows"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { isCoverLine, type CartLine } from "../steps/cart-cover"

type UpdateInput = {
  cart_id: string
  item_id: string
  update?: { quantity?: unknown } | null
}

/**
 * The plugin's cover line is priced and named from the ledger: Medusa's own store route
 * (`POST /store/carts/:id/line-items/:line_id`) must not change its quantity, price or metadata
 * (metadata naming a dearer quote, say, would charge one plan and book another). Removing it
 * (quantity 0, or `DELETE`) is deselecting, and works.
 */
updateLineItemInCartWorkflow.hooks.validate(
  async ({ input, cart }, { container }) => {
    const { cart_id, item_id, update } = input as UpdateInput
    if (
      update &&
      Number(update.quantity) === 0 &&
      Object.keys(update).every((k) => k === "quantity")
    ) {
      return
    }
    let line =
      ((cart as { items?: (CartLine | null)[] | null }).items ?? []).find(
        (i) => i?.id === item_id
      ) ?? null
    if (!line || line.metadata === undefined) {
      const query = container.resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "line_item",
        fields: ["id", "variant_id", "metadata"],
        filters: { id: item_id },
      })
      line = (data[0] as CartLine | undefined) ?? null
    }
    if (line && isCoverLine(line)) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        `Line ${item_id} is the XCover cover: choose a plan with POST /store/carts/${cart_id}/xcover-offers/${String(line.metadata?.xcover_offer_id)}/select, remove it with DELETE on the same path (or this line's DELETE)`
      )
    }
  }
)
