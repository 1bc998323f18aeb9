/** An amount in major units (as XCover and Medusa give them) with its currency, in the browser's locale. */
export function formatMoney(
  amount: number | null,
  currency: string | null
): string {
  if (amount === null || amount === undefined) {
    return "–"
  }
  if (!currency) {
    return amount.toFixed(2)
  }
  try {
    return new Intl.NumberFormat(undefined, {
      style: "currency",
      currency: currency.toUpperCase(),
    }).format(amount)
  } catch {
    // Not an ISO 4217 code Intl knows: the number and the code as given.
    return `${amount.toFixed(2)} ${currency}`
  }
}

/** Amounts in several currencies on one line (`–` when there are none). */
export function formatAmounts(
  amounts: readonly { amount: number; currency: string }[]
): string {
  return amounts.length
    ? amounts.map((a) => formatMoney(a.amount, a.currency)).join(" · ")
    : "–"
}
