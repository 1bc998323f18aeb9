/** Narrowing helpers for XCover's JSON answers: read what is there, never trust a shape. */

export function record(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null
}

export function text(value: unknown): string | null {
  return typeof value === "string" ? value : null
}

/** A number, or a numeric string (amounts may come either way). */
export function num(value: unknown): number | null {
  const n =
    typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof n === "number" && Number.isFinite(n) ? n : null
}
