import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  createApiKeysWorkflow,
  createProductsWorkflow,
  createRegionsWorkflow,
  createSalesChannelsWorkflow,
  createShippingOptionsWorkflow,
  createShippingProfilesWorkflow,
  createStockLocationsWorkflow,
  linkSalesChannelsToApiKeyWorkflow,
  linkSalesChannelsToStockLocationWorkflow,
} from "@medusajs/medusa/core-flows"
import {
  COVER_PRODUCT_TYPE_ID,
  ensureCoverProductType,
} from "../../src/workflows/steps/exempt-cover-from-tax"

export type SeededStore = {
  publishableKey: string
  regionId: string
  variantId: string
  insuranceVariantId: string
  shippingOptionId: string
}

/**
 * The store `seedStore` created earlier in this database, or null: lets a persistent database
 * (the demo's) be seeded once and reused.
 */
export async function findSeededStore(
  container: MedusaContainer
): Promise<SeededStore | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const first = async (
    entity: string,
    fields: string[],
    filters: Record<string, unknown>
  ) =>
    (await query.graph({ entity, fields, filters })).data[0] as
      Record<string, string> | undefined
  const apiKey = await first("api_key", ["token"], {
    title: SEED.apiKeyTitle,
    type: "publishable",
    revoked_at: null,
  })
  const region = await first("region", ["id"], { name: SEED.regionName })
  const variant = await first("product_variant", ["id"], { sku: SEED.sku })
  const insurance = await first("product_variant", ["id"], {
    sku: SEED.insuranceSku,
  })
  const option = await first("shipping_option", ["id"], {
    name: SEED.shippingOptionName,
  })
  if (!apiKey || !region || !variant || !insurance || !option) {
    return null
  }
  return {
    publishableKey: apiKey.token,
    regionId: region.id,
    variantId: variant.id,
    insuranceVariantId: insurance.id,
    shippingOptionId: option.id,
  }
}

/**
 * A store seeded before insurance lines were told apart by product type: its "XCover protection"
 * product gets the "XCover cover" type, as `seedStore` gives it now.
 */
export async function markInsuranceProduct(
  container: MedusaContainer
): Promise<void> {
  await ensureCoverProductType(container)
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "product_variant",
    fields: ["product.id", "product.type_id"],
    filters: { sku: SEED.insuranceSku },
  })
  const product = (
    data[0] as { product?: { id: string; type_id?: string | null } } | undefined
  )?.product
  if (product && product.type_id !== COVER_PRODUCT_TYPE_ID) {
    await container
      .resolve(Modules.PRODUCT)
      .updateProducts(product.id, { type_id: COVER_PRODUCT_TYPE_ID })
  }
}

/** Names `findSeededStore` looks the seeded records up by. */
const SEED = {
  apiKeyTitle: "Storefront",
  regionName: "Germany",
  sku: "TENT-M",
  insuranceSku: "XCOVER",
  shippingOptionName: "Standard",
}

/**
 * The least a Medusa 2.21 store needs to complete a cart: region with the system payment
 * provider, sales channel, stock location with a shipping fulfillment set, shipping option,
 * a product (and an "XCover protection" product for taken offers), a publishable key.
 */
export async function seedStore(
  container: MedusaContainer
): Promise<SeededStore> {
  const link = container.resolve(ContainerRegistrationKeys.LINK)
  const fulfillment = container.resolve(Modules.FULFILLMENT)

  const {
    result: [salesChannel],
  } = await createSalesChannelsWorkflow(container).run({
    input: { salesChannelsData: [{ name: "Web" }] },
  })
  const {
    result: [region],
  } = await createRegionsWorkflow(container).run({
    input: {
      regions: [
        {
          name: SEED.regionName,
          currency_code: "eur",
          countries: ["de"],
          payment_providers: ["pp_system_default"],
        },
      ],
    },
  })
  const {
    result: [location],
  } = await createStockLocationsWorkflow(container).run({
    input: {
      locations: [
        {
          name: "Berlin",
          address: {
            address_1: "Street 1",
            city: "Berlin",
            country_code: "DE",
          },
        },
      ],
    },
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_provider_id: "manual_manual" },
  })
  const {
    result: [profile],
  } = await createShippingProfilesWorkflow(container).run({
    input: { data: [{ name: "Default", type: "default" }] },
  })
  const fulfillmentSet = await fulfillment.createFulfillmentSets({
    name: "Berlin delivery",
    type: "shipping",
    service_zones: [
      { name: "Germany", geo_zones: [{ country_code: "de", type: "country" }] },
    ],
  })
  await link.create({
    [Modules.STOCK_LOCATION]: { stock_location_id: location.id },
    [Modules.FULFILLMENT]: { fulfillment_set_id: fulfillmentSet.id },
  })
  await linkSalesChannelsToStockLocationWorkflow(container).run({
    input: { id: location.id, add: [salesChannel.id] },
  })
  const {
    result: [shippingOption],
  } = await createShippingOptionsWorkflow(container).run({
    input: [
      {
        name: SEED.shippingOptionName,
        price_type: "flat",
        provider_id: "manual_manual",
        service_zone_id: fulfillmentSet.service_zones[0].id,
        shipping_profile_id: profile.id,
        type: { label: "Standard", description: "2-3 days", code: "standard" },
        prices: [
          { currency_code: "eur", amount: 10 },
          { region_id: region.id, amount: 10 },
        ],
        rules: [
          { attribute: "enabled_in_store", value: "true", operator: "eq" },
          { attribute: "is_return", value: "false", operator: "eq" },
        ],
      },
    ],
  })
  await ensureCoverProductType(container)
  const { result: products } = await createProductsWorkflow(container).run({
    input: {
      products: [
        {
          title: "Tent",
          status: "published",
          shipping_profile_id: profile.id,
          options: [{ title: "Size", values: ["M"] }],
          variants: [
            {
              title: "M",
              sku: SEED.sku,
              manage_inventory: false,
              options: { Size: "M" },
              prices: [{ currency_code: "eur", amount: 100 }],
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
        {
          title: "XCover protection",
          status: "published",
          // The merchant's own insurance product: only lines of this type take an XCover offer.
          type_id: COVER_PRODUCT_TYPE_ID,
          shipping_profile_id: profile.id,
          options: [{ title: "Plan", values: ["Standard"] }],
          variants: [
            {
              title: "Standard",
              sku: SEED.insuranceSku,
              manage_inventory: false,
              options: { Plan: "Standard" },
              prices: [{ currency_code: "eur", amount: 5 }],
            },
          ],
          sales_channels: [{ id: salesChannel.id }],
        },
      ],
    },
  })
  const {
    result: [apiKey],
  } = await createApiKeysWorkflow(container).run({
    input: {
      api_keys: [
        { title: SEED.apiKeyTitle, type: "publishable", created_by: "seed" },
      ],
    },
  })
  await linkSalesChannelsToApiKeyWorkflow(container).run({
    input: { id: apiKey.id, add: [salesChannel.id] },
  })

  return {
    publishableKey: apiKey.token,
    regionId: region.id,
    variantId: products[0].variants[0].id,
    insuranceVariantId: products[1].variants[0].id,
    shippingOptionId: shippingOption.id,
  }
}
