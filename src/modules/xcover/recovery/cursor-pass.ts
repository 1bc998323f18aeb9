import type { ClaimedCursor, OrderPosition } from "./order-cursor"

/** The stored cursor a pass walks: claimed for the run, moved past each page, released at the end. */
export type CursorStore = {
  claim(): Promise<ClaimedCursor | null>
  advance(to: OrderPosition): Promise<boolean>
  release(): Promise<void>
}

/**
 * One run of a cursor over orders, page by page: each page is handled, then the cursor moves
 * past it (so a crash repeats at most one page, and handling is idempotent). Bounded by
 * `maxPages`: a long backlog continues in the next runs. False when another process holds the
 * cursor (nothing was done).
 */
export async function runCursorPass<Row>(
  cursor: CursorStore,
  pass: {
    load(after: OrderPosition, upTo: Date, take: number): Promise<Row[]>
    handlePage(rows: Row[]): Promise<void>
    positionOf(row: Row): OrderPosition
    pageSize: number
    maxPages: number
  }
): Promise<boolean> {
  const claimed = await cursor.claim()
  if (!claimed) {
    return false
  }
  try {
    let after = claimed.after
    for (let page = 0; page < pass.maxPages; page++) {
      const rows = await pass.load(after, claimed.up_to, pass.pageSize)
      if (!rows.length) {
        break
      }
      await pass.handlePage(rows)
      after = pass.positionOf(rows[rows.length - 1])
      if (!(await cursor.advance(after)) || rows.length < pass.pageSize) {
        break
      }
    }
    return true
  } finally {
    await cursor.release()
  }
}
