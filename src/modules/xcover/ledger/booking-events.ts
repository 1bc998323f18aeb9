import { createHash } from "node:crypto"
import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"

/** Same event and payload, same digest: a replayed webhook is recognised whatever its key order. */
export function eventDigest(event: string, payload: unknown): string {
  return createHash("sha256")
    .update(`${event}\n${canonical(payload)}`)
    .digest("hex")
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonical).join(",")}]`
  }
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(
      ([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)
    )
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`
  }
  return JSON.stringify(value) ?? "null"
}

/** Adds an event to a booking's history; false when the same event was already there. */
export async function recordBookingEvent(
  db: SqlExecutor,
  input: {
    booking_row_id: string
    source: "webhook" | "cancellation"
    event: string
    payload: unknown
  }
): Promise<boolean> {
  // Raw SQL: INSERT … ON CONFLICT DO NOTHING (a replayed webhook is a no-op), in the caller's transaction.
  const rows = await db.execute(
    `INSERT INTO xcover_booking_event (id, booking_row_id, source, event, payload, digest, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?::jsonb, ?, now(), now())
     ON CONFLICT (booking_row_id, digest) WHERE deleted_at IS NULL DO NOTHING
     RETURNING id`,
    [
      generateEntityId(undefined, "xcbe"),
      input.booking_row_id,
      input.source,
      input.event,
      JSON.stringify(input.payload ?? null),
      eventDigest(input.event, input.payload),
    ]
  )
  return rows.length > 0
}

export type BookingEventView = {
  source: string
  event: string
  payload: unknown
  created_at: Date
}

/** What a booking's history shows of each event (read through the module's generated `listXcoverBookingEvents`). */
export const BOOKING_EVENT_VIEW_FIELDS = [
  "source",
  "event",
  "payload",
  "created_at",
] as const
