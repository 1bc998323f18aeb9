import { setTimeout as sleep } from "node:timers/promises"

/**
 * Polls `check` until it stops throwing or the deadline passes, then rethrows its last error:
 * a condition with a deadline instead of a blind sleep.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  { timeoutMs = 15_000, intervalMs = 50 } = {}
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (err) {
      if (Date.now() > deadline) {
        throw err
      }
      await sleep(intervalMs)
    }
  }
}
