// The plans the stand-in quotes and the price it quotes for them (`standInQuotePrice`), which
// tests use to compute the price they expect.

/** A plan the stand-in quotes, and the rate of the retail value its price starts from. */
export type StandInPlan = {
  productConfigId: string
  title: string
  description: string
  rate: number
}

export const STAND_IN_PLANS: readonly StandInPlan[] = [
  {
    productConfigId: "pc-standard",
    title: "Standard Protection",
    description: "Accidental damage for 2 years",
    rate: 0.05,
  },
  {
    productConfigId: "pc-premium",
    title: "Premium Protection",
    description: "Accidental damage and theft for 3 years",
    rate: 0.09,
  },
]

/**
 * The price the stand-in quotes: round2(retailValue * rate * quantity^0.9), at least 0.5 (so,
 * like XCover's, not linear in quantity). Tests use it to compute the expected price; the plugin
 * itself must never compute a price.
 */
export function standInQuotePrice(
  planConfigId: string,
  retailValue: number,
  quantity = 1
): number {
  const plan = STAND_IN_PLANS.find((p) => p.productConfigId === planConfigId)
  if (!plan) {
    throw new Error(`stand-in has no plan ${planConfigId}`)
  }
  return Math.max(
    0.5,
    Math.round(retailValue * plan.rate * Math.pow(quantity, 0.9) * 100) / 100
  )
}
