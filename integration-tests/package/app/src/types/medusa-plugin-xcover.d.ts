// medusa-plugin-xcover ships JavaScript without type declarations. A store that type-checks with
// `noImplicitAny` (or `strict`) declares the little it uses, as docs/store-api.md shows; this one is
// also what lets the plugin repository's own typecheck read the hook file beside it.
declare module "medusa-plugin-xcover/workflows" {
  import type { MedusaContainer } from "@medusajs/framework/types"
  import type { StepResponse } from "@medusajs/framework/workflows-sdk"

  type OfferRequest = {
    customer: Record<string, unknown>
    context: Record<string, unknown>
    [field: string]: unknown
  }
  type SetOfferRequestInput = {
    cart_id: string
    line: {
      id: string
      title: string
      product_title: string | null
      variant_id: string | null
      variant_sku: string | null
      quantity: number
      unit_price: number
      metadata: Record<string, unknown> | null
    }
    request: OfferRequest
  }

  export const quoteXcoverOfferWorkflow: {
    hooks: {
      setOfferRequest(
        handler: (
          input: SetOfferRequestInput,
          context: { container: MedusaContainer }
        ) =>
          | StepResponse<OfferRequest | undefined>
          | undefined
          | Promise<StepResponse<OfferRequest | undefined> | undefined>
      ): void
    }
  }
}
