// Pure functions behind the sales chart (unit tested without a browser). Type-only imports of
// the server's shapes; day-range has no imports of its own, so the bundle can share it.
import type {
  Amount,
  SalesDay,
  SalesReport,
} from "../../modules/xcover/reporting/sales-report"
import {
  lastDays,
  rangeProblem,
} from "../../modules/xcover/reporting/day-range"

/** The range picker's quick choices, in days up to today (UTC). */
export const RANGE_PRESETS = [7, 30, 90] as const
export type RangePreset = (typeof RANGE_PRESETS)[number]

/** A range the picker may ask for: a preset's days, or a custom `from`..`to` once both are valid. */
export type RangeChoice = { preset: RangePreset } | { from: string; to: string }

/** The `from`/`to` query of a choice, or the reason it cannot be asked for (a custom range half typed). */
export function rangeQuery(
  choice: RangeChoice,
  now: Date = new Date()
): { from: string; to: string } | { problem: string } {
  if ("preset" in choice) {
    return lastDays(choice.preset, now)
  }
  const problem = rangeProblem(choice.from, choice.to)
  return problem ? { problem } : { from: choice.from, to: choice.to }
}

/** Currencies with premium or refunds in the report, sorted: the chart shows one at a time. */
export function reportCurrencies(report: Pick<SalesReport, "days">): string[] {
  const all = report.days.flatMap((d) =>
    [...d.premium_booked, ...d.refunds].map((a) => a.currency)
  )
  return [...new Set(all)].sort()
}

/** One bar-and-point of the chart: a day's figures in one currency, the attach rate in percent. */
export type ChartPoint = {
  date: string
  shown: number
  taken: number
  /** Percent (0-100), null on a day nothing was shown: the line has a gap, not a false 0 %. */
  attach_rate_pct: number | null
  premium: number
  refunds: number
}

function amountIn(amounts: Amount[], currency: string | null): number {
  return currency === null
    ? 0
    : (amounts.find((a) => a.currency === currency)?.amount ?? 0)
}

/** The chart's points for one currency (null when nothing was booked or refunded in any). */
export function chartPoints(
  days: SalesDay[],
  currency: string | null
): ChartPoint[] {
  return days.map((d) => ({
    date: d.date,
    shown: d.shown,
    taken: d.taken,
    attach_rate_pct:
      d.attach_rate === null ? null : Math.round(d.attach_rate * 1000) / 10,
    premium: amountIn(d.premium_booked, currency),
    refunds: amountIn(d.refunds, currency),
  }))
}

/** An attach rate (0-1) as the page writes it: "25.0 %", or "–" when nothing was shown. */
export function formatRate(rate: number | null): string {
  return rate === null ? "–" : `${(rate * 100).toFixed(1)} %`
}

/** A day's short label on the chart's axis: "Mar 5" (UTC, as the report's days are). */
export function dayLabel(date: string, locale?: string): string {
  return new Date(`${date}T00:00:00Z`).toLocaleDateString(locale, {
    month: "short",
    day: "numeric",
    timeZone: "UTC",
  })
}
