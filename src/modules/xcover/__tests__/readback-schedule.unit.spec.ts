import { nextReadbackInMs } from "../ledger/readbacks"

const HOUR = 3_600_000
const DAY = 24 * HOUR
const now = new Date(Date.UTC(2026, 11, 6, 12))
const ago = (ms: number) => new Date(now.getTime() - ms)

describe("when a booked policy is read back from XCover next", () => {
  it("every 15 minutes in the hour after a webhook, whatever the policy's age", () => {
    expect(
      nextReadbackInMs({
        booked_at: ago(200 * DAY),
        nudged_at: ago(10 * 60_000),
        now,
      })
    ).toBe(15 * 60_000)
  })

  it("daily for its first 30 days, weekly for a year, then no more", () => {
    expect(
      nextReadbackInMs({ booked_at: ago(2 * DAY), nudged_at: null, now })
    ).toBe(DAY)
    expect(
      nextReadbackInMs({
        booked_at: ago(29 * DAY),
        nudged_at: ago(2 * HOUR),
        now,
      })
    ).toBe(DAY)
    expect(
      nextReadbackInMs({ booked_at: ago(31 * DAY), nudged_at: null, now })
    ).toBe(7 * DAY)
    expect(
      nextReadbackInMs({ booked_at: ago(366 * DAY), nudged_at: null, now })
    ).toBeNull()
  })
})
