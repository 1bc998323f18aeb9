import type { MedusaContainer } from "@medusajs/framework/types"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import {
  isValidXcoverId,
  XCOVER_ID_RULE,
} from "../../../../../modules/xcover/xcover-id"

/** The cart as the cover routes answer it: totals and lines, as Medusa's cart routes give them. */
const CART_FIELDS = [
  "id",
  "currency_code",
  "total",
  "subtotal",
  "tax_total",
  "discount_total",
  "item_total",
  "shipping_total",
  "items.id",
  "items.title",
  "items.subtitle",
  "items.variant_id",
  "items.quantity",
  "items.unit_price",
  "items.total",
  "items.tax_total",
  "items.discount_total",
  "items.is_discountable",
  "items.requires_shipping",
  "items.metadata",
]

export async function storeCart(
  scope: MedusaContainer,
  cartId: string
): Promise<Record<string, unknown>> {
  const query = scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "cart",
    fields: CART_FIELDS,
    filters: { id: cartId },
  })
  return data[0] as Record<string, unknown>
}

/** An offer id from the path, checked as the body's ids are. */
export function offerIdParam(value: string | undefined): string {
  if (!isValidXcoverId(value)) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `offer_id must be ${XCOVER_ID_RULE}`
    )
  }
  return value
}
