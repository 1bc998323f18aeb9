// No imports on purpose: the admin bundle imports this file too (the range picker).

/**
 * Calendar days of the sales report. A day is a UTC calendar day, written `YYYY-MM-DD`: the
 * figures of a day are what the ledger recorded between its 00:00 and 24:00 UTC, whatever the
 * store's or the browser's time zone.
 */

/** The longest range one report covers, both ends included (a leap year). */
export const MAX_RANGE_DAYS = 366

export const DAY_MS = 86_400_000
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/

/** The UTC midnight a `YYYY-MM-DD` day starts at, or null when the text is not a real calendar day. */
export function parseDay(text: string): Date | null {
  const match = DAY_PATTERN.exec(text)
  if (!match) {
    return null
  }
  const [, year, month, day] = match.map(Number)
  const date = new Date(Date.UTC(year, month - 1, day))
  // Date.UTC rolls 2026-02-30 over to March: a day that does not exist is refused, not moved.
  return date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
    ? date
    : null
}

/** The `YYYY-MM-DD` UTC day an instant falls on. */
export function dayOf(instant: Date): string {
  return instant.toISOString().slice(0, 10)
}

/** The day `n` days after (or before, when negative) a `YYYY-MM-DD` day. */
export function addDays(day: string, n: number): string {
  const start = parseDay(day)
  if (!start) {
    throw new RangeError(`not a day: ${day}`)
  }
  return dayOf(new Date(start.getTime() + n * DAY_MS))
}

/** How many days `from`..`to` covers, both included (0 or less when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  const a = parseDay(from)
  const b = parseDay(to)
  if (!a || !b) {
    throw new RangeError(`not a day: ${a ? to : from}`)
  }
  return Math.round((b.getTime() - a.getTime()) / DAY_MS) + 1
}

/** The last `n` days up to and including the UTC day of `now`. */
export function lastDays(
  n: number,
  now: Date = new Date()
): { from: string; to: string } {
  const to = dayOf(now)
  return { from: addDays(to, 1 - n), to }
}

/**
 * Why a range cannot be reported on, or null when it can: both ends real days, `from` not after
 * `to`, at most MAX_RANGE_DAYS days.
 */
export function rangeProblem(from: string, to: string): string | null {
  // `to` first: a missing `from` is counted back from it.
  if (!parseDay(to)) {
    return "to must be a calendar day written YYYY-MM-DD"
  }
  if (!parseDay(from)) {
    return "from must be a calendar day written YYYY-MM-DD"
  }
  const days = daysInRange(from, to)
  if (days < 1) {
    return "from must not be after to"
  }
  if (days > MAX_RANGE_DAYS) {
    return `from..to covers ${days} days; at most ${MAX_RANGE_DAYS} at once`
  }
  return null
}
