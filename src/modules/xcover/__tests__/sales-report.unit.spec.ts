import {
  AdminXcoverSalesReport,
  DEFAULT_REPORT_DAYS,
} from "../../../api/admin/xcover/validators"
import {
  MAX_RANGE_DAYS,
  addDays,
  dayOf,
  daysInRange,
  lastDays,
  parseDay,
  rangeProblem,
} from "../reporting/day-range"
import {
  attachRate,
  sumByCurrency,
  totalsOf,
  type SalesDay,
} from "../reporting/sales-report"

describe("report days (UTC calendar days)", () => {
  it("parses real days only, at UTC midnight", () => {
    expect(parseDay("2026-03-01")?.toISOString()).toBe(
      "2026-03-01T00:00:00.000Z"
    )
    expect(parseDay("2028-02-29")?.toISOString()).toBe(
      "2028-02-29T00:00:00.000Z"
    )
    for (const bad of [
      "2026-02-29",
      "2026-13-01",
      "2026-04-31",
      "2026-3-1",
      "2026-03-01T00:00:00Z",
      "yesterday",
      "",
    ]) {
      expect(parseDay(bad)).toBeNull()
    }
  })

  it("counts days across month, year and DST changes", () => {
    expect(addDays("2026-02-28", 1)).toBe("2026-03-01")
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01")
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28")
    expect(daysInRange("2026-03-28", "2026-03-30")).toBe(3)
    expect(daysInRange("2026-01-01", "2026-12-31")).toBe(365)
    expect(daysInRange("2026-03-02", "2026-03-01")).toBe(0)
  })

  it("takes the last n days up to today in UTC, whatever the hour", () => {
    expect(lastDays(7, new Date("2026-03-10T23:59:59.999Z"))).toEqual({
      from: "2026-03-04",
      to: "2026-03-10",
    })
    expect(lastDays(1, new Date("2026-03-10T00:00:00Z"))).toEqual({
      from: "2026-03-10",
      to: "2026-03-10",
    })
    expect(dayOf(new Date("2026-03-10T23:30:00-05:00"))).toBe("2026-03-11")
  })

  it("says why a range cannot be reported on", () => {
    expect(rangeProblem("2026-03-01", "2026-03-01")).toBeNull()
    expect(rangeProblem("2028-01-01", "2028-12-31")).toBeNull()
    expect(daysInRange("2028-01-01", "2028-12-31")).toBe(MAX_RANGE_DAYS)
    expect(rangeProblem("2026-01-01", "2027-01-02")).toBe(
      `from..to covers 367 days; at most ${MAX_RANGE_DAYS} at once`
    )
    expect(rangeProblem("2026-03-02", "2026-03-01")).toBe(
      "from must not be after to"
    )
    expect(rangeProblem("2026-02-30", "2026-03-01")).toMatch(
      /^from must be a calendar day/
    )
    expect(rangeProblem("2026-02-01", "03/01/2026")).toMatch(
      /^to must be a calendar day/
    )
  })
})

describe("the sales report's query validator", () => {
  const parse = (query: Record<string, unknown>) =>
    AdminXcoverSalesReport.safeParse(query)

  it("defaults to the last 30 days up to today, or up to `to`", () => {
    const today = lastDays(1).to
    expect(parse({}).data).toEqual({
      from: addDays(today, 1 - DEFAULT_REPORT_DAYS),
      to: today,
    })
    expect(parse({ to: "2026-03-30" }).data).toEqual({
      from: "2026-03-01",
      to: "2026-03-30",
    })
    expect(parse({ from: "2026-03-01", to: "2026-03-07" }).data).toEqual({
      from: "2026-03-01",
      to: "2026-03-07",
    })
  })

  it.each([
    [{ from: "2026-03-01", to: "2026-02-01" }, "from must not be after to"],
    [{ from: "2025-01-01", to: "2026-03-01" }, "at most 366"],
    [{ from: "2026-02-30", to: "2026-03-01" }, "from must be a calendar day"],
    [{ to: "tomorrow" }, "to must be a calendar day"],
    [{ from: ["2026-03-01", "2026-03-02"] }, "from must be a calendar day"],
  ])("refuses %j: %s", (query, message) => {
    const result = parse(query)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => i.message).join("; ")).toContain(
      message
    )
  })
})

describe("sales figures", () => {
  const day = (
    date: string,
    shown: number,
    taken: number,
    premium: SalesDay["premium_booked"] = [],
    refunds: SalesDay["refunds"] = []
  ): SalesDay => ({
    date,
    shown,
    taken,
    attach_rate: attachRate(taken, shown),
    premium_booked: premium,
    refunds,
  })

  it("has no attach rate on a day nothing was shown", () => {
    expect(attachRate(0, 0)).toBeNull()
    expect(attachRate(1, 4)).toBe(0.25)
  })

  it("adds amounts per currency, never across currencies", () => {
    expect(
      sumByCurrency([
        { currency: "USD", amount: 0.1 },
        { currency: "EUR", amount: 7.5 },
        { currency: "USD", amount: 0.2 },
        { currency: "EUR", amount: 2.5 },
      ])
    ).toEqual([
      { currency: "EUR", amount: 10 },
      { currency: "USD", amount: 0.3 },
    ])
    expect(sumByCurrency([])).toEqual([])
  })

  it("totals the range from its days: the rate of the sums, not the mean of the rates", () => {
    const totals = totalsOf([
      day("2026-03-01", 1, 1, [{ currency: "EUR", amount: 5 }]),
      day("2026-03-02", 0, 0),
      day(
        "2026-03-03",
        3,
        0,
        [{ currency: "USD", amount: 9 }],
        [{ currency: "EUR", amount: 4 }]
      ),
    ])
    expect(totals).toEqual({
      shown: 4,
      taken: 1,
      attach_rate: 0.25,
      premium_booked: [
        { currency: "EUR", amount: 5 },
        { currency: "USD", amount: 9 },
      ],
      refunds: [{ currency: "EUR", amount: 4 }],
    })
  })
})
