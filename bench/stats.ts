/** Percentile by nearest rank (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) {
    return NaN
  }
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]
}

export const median = (samples: number[]) => percentile(samples, 50)

/** The most timestamps (ms) that fall into any one-second window [t, t + 1000). */
export function maxPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let best = 0
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end] - sorted[start] >= 1000) {
      start++
    }
    best = Math.max(best, end - start + 1)
  }
  return best
}

export const round = (n: number, digits = 1) =>
  Number.isFinite(n) ? Number(n.toFixed(digits)) : null
