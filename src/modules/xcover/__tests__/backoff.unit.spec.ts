import { decideRetry, retryDelayMs } from "../outbox/backoff"

const policy = { baseDelayMs: 1000, maxDelayMs: 60_000, maxAgeMs: 3600_000 }

describe("retry backoff", () => {
  it("grows exponentially within ±25 % jitter and stops at the cap", () => {
    expect(retryDelayMs(1, policy, null, () => 0.5)).toBe(1000)
    expect(retryDelayMs(3, policy, null, () => 0.5)).toBe(4000)
    expect(retryDelayMs(3, policy, null, () => 0)).toBe(3000)
    expect(retryDelayMs(3, policy, null, () => 1)).toBe(5000)
    expect(retryDelayMs(30, policy, null, () => 0.5)).toBe(60_000)
  })

  it("never retries sooner than Retry-After", () => {
    expect(retryDelayMs(1, policy, 7000, () => 0.5)).toBe(7000)
  })

  it("gives up once the deadline has passed, and never schedules past it", () => {
    const deadline = new Date(3600_000)
    expect(
      decideRetry({
        attempt: 2,
        deadline,
        now: new Date(3600_000),
        policy,
        retryAfterMs: null,
      })
    ).toEqual({ giveUp: true })
    const late = decideRetry({
      attempt: 20,
      deadline,
      now: new Date(3590_000),
      policy,
      retryAfterMs: null,
      random: () => 0.5,
    })
    expect(late).toEqual({ giveUp: false, nextAttemptAt: new Date(3600_000) })
  })
})
