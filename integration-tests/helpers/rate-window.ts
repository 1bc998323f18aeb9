/**
 * The items in the busiest one-second window [t, t + 1000) by their `at` (ms), in time order: the
 * same window `maxPerSecond` (bench/stats) counts, to show which calls made it up.
 */
export function densestSecond<T extends { at: number }>(items: T[]): T[] {
  const sorted = [...items].sort((a, b) => a.at - b.at)
  let best: [number, number] = [0, 0]
  let start = 0
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end].at - sorted[start].at >= 1000) {
      start++
    }
    if (end - start + 1 > best[1] - best[0]) {
      best = [start, end + 1]
    }
  }
  return sorted.slice(best[0], best[1])
}

/** One line per item of a window: ms after the first, and what the caller names it by. */
export function describeWindow<T extends { at: number }>(
  window: T[],
  name: (item: T) => string
): string {
  const first = window[0]?.at ?? 0
  return window
    .map((item) => `+${String(item.at - first).padStart(4)} ms  ${name(item)}`)
    .join("\n")
}
