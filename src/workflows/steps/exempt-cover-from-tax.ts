import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type {
  CreateProductTypeDTO,
  MedusaContainer,
} from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"

/**
 * The product type id the plugin's cover lines carry, and the product type ("XCover cover") a
 * merchant gives an insurance product of their own: only lines of that type take an XCover
 * offer, and tax rate overrides match line items by it (XCover's price includes its tax).
 */
export const COVER_PRODUCT_TYPE_ID = "ptyp_xcover_cover"
export const COVER_PRODUCT_TYPE_VALUE = "XCover cover"

/**
 * Creates the "XCover cover" product type (id `ptyp_xcover_cover`) when it is missing, so a
 * merchant can pick it for an insurance product in the admin. One indexed read when it exists
 * (the dispatch job calls this every run: a type deleted by hand comes back within a minute).
 */
export async function ensureCoverProductType(
  container: MedusaContainer
): Promise<boolean> {
  const product = container.resolve(Modules.PRODUCT)
  const [existing] = await product.listProductTypes(
    { id: COVER_PRODUCT_TYPE_ID },
    { select: ["id"] }
  )
  if (existing) {
    return false
  }
  try {
    // The DTO has no `id`, but the module keeps one given: the tax override and the order-time check match this fixed id.
    await product.createProductTypes([
      {
        id: COVER_PRODUCT_TYPE_ID,
        value: COVER_PRODUCT_TYPE_VALUE,
      } as CreateProductTypeDTO,
    ])
    return true
  } catch (err) {
    // Another process created it at the same moment.
    if (
      (
        await product.listProductTypes(
          { id: COVER_PRODUCT_TYPE_ID },
          { select: ["id"] }
        )
      ).length
    ) {
      return false
    }
    throw err
  }
}

export const COVER_TAX_RATE_CODE = "XCOVER"

/**
 * XCover's price already includes insurance tax, so no Medusa tax may be added on top. A custom
 * line with no product gets its tax region's default rate; Medusa's own way to exempt a kind of
 * item is a rate override for its product type. This puts a 0 % override for the cover lines'
 * type in every tax region that lacks one (created once; visible under Settings > Tax Regions).
 */
export async function exemptCoverFromTax(
  container: MedusaContainer
): Promise<number> {
  const tax = container.resolve(Modules.TAX)
  const regions = await tax.listTaxRegions({}, { select: ["id"] })
  if (!regions.length) {
    return 0
  }
  const existing = await tax.listTaxRates(
    { tax_region_id: regions.map((r) => r.id), code: COVER_TAX_RATE_CODE },
    { select: ["id", "tax_region_id"] }
  )
  const covered = new Set(existing.map((r) => r.tax_region_id))
  const missing = regions.filter((r) => !covered.has(r.id))
  if (missing.length) {
    await tax.createTaxRates(
      missing.map((region) => ({
        tax_region_id: region.id,
        rate: 0,
        code: COVER_TAX_RATE_CODE,
        name: "XCover cover (insurance tax is in XCover's price)",
        is_combinable: false,
        rules: [
          { reference: "product_type", reference_id: COVER_PRODUCT_TYPE_ID },
        ],
      }))
    )
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .info(
        `xcover: added a 0 % tax override for XCover cover lines in ${missing.length} tax region(s)`
      )
  }
  return missing.length
}

let running: Promise<number> | null = null

/** Before a cover line is added: one check at a time per process (concurrent selections share it). */
export const exemptCoverFromTaxStep = createStep(
  "exempt-xcover-cover-from-tax",
  async (_: void, { container }) => {
    running ??= exemptCoverFromTax(container).finally(() => (running = null))
    return new StepResponse(await running)
  }
)
