import type { XcoverOptions } from "../options"

export type RetryPolicy = XcoverOptions["retry"]

/**
 * Delay before try number `attempt + 1`, after `attempt` tries failed in a retryable way:
 * exponential from `baseDelayMs`, capped at `maxDelayMs`, with ±25 % jitter so that offers that
 * failed together do not come back together, and never shorter than XCover's `Retry-After`.
 */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy,
  retryAfterMs: number | null,
  random: () => number = Math.random
): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, attempt - 1)
  const capped = Math.min(policy.maxDelayMs, exponential)
  const jittered = Math.round(capped * (0.75 + random() * 0.5))
  return Math.max(jittered, retryAfterMs ?? 0)
}

export type RetryDecision =
  { giveUp: true } | { giveUp: false; nextAttemptAt: Date }

/**
 * Retry later, or give up once the deadline (declined + `maxAgeMs`, moved on by the time nothing
 * could be sent) has passed. The last try is placed at the deadline itself, so no offer is
 * abandoned early.
 */
export function decideRetry(input: {
  attempt: number
  deadline: Date
  now: Date
  policy: RetryPolicy
  retryAfterMs: number | null
  random?: () => number
}): RetryDecision {
  const deadline = input.deadline.getTime()
  const now = input.now.getTime()
  if (now >= deadline) {
    return { giveUp: true }
  }
  const delay = retryDelayMs(
    input.attempt,
    input.policy,
    input.retryAfterMs,
    input.random
  )
  return {
    giveUp: false,
    nextAttemptAt: new Date(Math.min(now + delay, deadline)),
  }
}
