import { setTimeout as sleep } from "node:timers/promises"

/**
 * Paces calls of one process evenly, one every `1050 / perSecond` ms, so that no one-second
 * window holds more than `perSecond` calls, even counted at XCover's end where network jitter
 * shifts arrivals: the 5 % slack absorbs up to 50 ms of jitter (a bucket that lets a second's
 * worth out at once would break the limit with any jitter). `pause` holds every caller back,
 * e.g. after a 429.
 */
const PACING_WINDOW_MS = 1050

export class RateLimiter {
  private nextSlot = 0

  constructor(private readonly perSecond: number) {}

  /** Resolves when the caller may start one call; callers are served in arrival order. */
  async acquire(): Promise<void> {
    const now = Date.now()
    if (this.perSecond <= 0) {
      if (this.nextSlot > now) {
        await sleep(this.nextSlot - now)
      }
      return
    }
    const slot = Math.max(now, this.nextSlot)
    this.nextSlot = slot + PACING_WINDOW_MS / this.perSecond
    if (slot > now) {
      await sleep(slot - now)
    }
  }

  pause(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, Date.now() + ms)
  }
}
