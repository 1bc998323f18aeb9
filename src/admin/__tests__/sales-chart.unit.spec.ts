import {
  chartPoints,
  dayLabel,
  formatRate,
  rangeQuery,
  reportCurrencies,
} from "../lib/sales-chart"
import type { SalesDay } from "../../modules/xcover/reporting/sales-report"

const days: SalesDay[] = [
  {
    date: "2026-03-01",
    shown: 4,
    taken: 1,
    attach_rate: 0.25,
    premium_booked: [
      { currency: "USD", amount: 9 },
      { currency: "EUR", amount: 5 },
    ],
    refunds: [],
  },
  {
    date: "2026-03-02",
    shown: 0,
    taken: 0,
    attach_rate: null,
    premium_booked: [],
    refunds: [{ currency: "GBP", amount: 2 }],
  },
  {
    date: "2026-03-03",
    shown: 3,
    taken: 2,
    attach_rate: 2 / 3,
    premium_booked: [{ currency: "EUR", amount: 7.5 }],
    refunds: [{ currency: "EUR", amount: 4 }],
  },
]

describe("the sales chart", () => {
  it("asks for a preset's last days, or a custom range once it is valid", () => {
    const now = new Date("2026-03-10T12:00:00Z")
    expect(rangeQuery({ preset: 7 }, now)).toEqual({
      from: "2026-03-04",
      to: "2026-03-10",
    })
    expect(rangeQuery({ preset: 90 }, now)).toEqual({
      from: "2025-12-11",
      to: "2026-03-10",
    })
    expect(rangeQuery({ from: "2026-03-01", to: "2026-03-05" }, now)).toEqual({
      from: "2026-03-01",
      to: "2026-03-05",
    })
    expect(rangeQuery({ from: "2026-03-01", to: "" }, now)).toEqual({
      problem: expect.stringMatching(/^to must be/),
    })
    expect(rangeQuery({ from: "2026-03-05", to: "2026-03-01" }, now)).toEqual({
      problem: "from must not be after to",
    })
  })

  it("offers every currency with premium or refunds, one at a time", () => {
    expect(reportCurrencies({ days })).toEqual(["EUR", "GBP", "USD"])
    expect(
      reportCurrencies({ days: [days[1]].map((d) => ({ ...d, refunds: [] })) })
    ).toEqual([])
  })

  it("plots one currency's amounts per day, and the attach rate in percent with a gap where nothing was shown", () => {
    expect(chartPoints(days, "EUR")).toEqual([
      {
        date: "2026-03-01",
        shown: 4,
        taken: 1,
        attach_rate_pct: 25,
        premium: 5,
        refunds: 0,
      },
      {
        date: "2026-03-02",
        shown: 0,
        taken: 0,
        attach_rate_pct: null,
        premium: 0,
        refunds: 0,
      },
      {
        date: "2026-03-03",
        shown: 3,
        taken: 2,
        attach_rate_pct: 66.7,
        premium: 7.5,
        refunds: 4,
      },
    ])
    expect(chartPoints(days, null).map((p) => p.premium)).toEqual([0, 0, 0])
  })

  it("writes rates and UTC day labels", () => {
    expect(formatRate(null)).toBe("–")
    expect(formatRate(0.25)).toBe("25.0 %")
    expect(dayLabel("2026-03-01", "en-US")).toBe("Mar 1")
  })
})
