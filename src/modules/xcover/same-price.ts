/**
 * Two prices in major units are the same amount: they differ by less than half a cent (numeric
 * columns come back as strings or floats, and XCover's totals are computed in floats).
 */
export function samePrice(a: unknown, b: unknown): boolean {
  return Math.abs(Number(a) - Number(b)) < 0.005
}
