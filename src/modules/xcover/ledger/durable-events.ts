import type { IEventBusModuleService, Logger } from "@medusajs/framework/types"
import { generateEntityId } from "@medusajs/framework/utils"
import type { SqlExecutor } from "../sql"
import { EventEntity } from "../orm"

/** The events the plugin announces, and what each carries (ids and amounts, never XCover's links). */
export type XcoverEventName =
  | "xcover.booking.confirmed"
  | "xcover.booking.failed"
  | "xcover.booking.held"
  | "xcover.booking.declined"
  | "xcover.booking.cancelled"
  | "xcover.cancellation.failed"

/** How long a publisher holds the events it took before another process may publish them. */
const PUBLISH_LEASE_MS = 30_000

/**
 * Writes an event to be published. Call it with the executor of the transaction that writes the
 * outcome it announces: both commit or neither does.
 */
export async function recordEvent(
  db: SqlExecutor,
  name: XcoverEventName,
  data: Record<string, unknown>
): Promise<string> {
  const id = generateEntityId(undefined, "xcev")
  // With the entity manager of the outcome's own transaction, so both commit together.
  await db.insert(EventEntity, { id, name, data, attempts: 0 })
  return id
}

export type PendingEvent = {
  id: string
  name: string
  data: Record<string, unknown>
}

/** Unpublished events, oldest first, leased to this publisher (others skip them meanwhile). */
export async function claimUnpublishedEvents(
  db: SqlExecutor,
  limit: number
): Promise<PendingEvent[]> {
  // Raw SQL: a claim (FOR UPDATE SKIP LOCKED, a lease on the database clock) two publishers can race on.
  const rows = await db.execute(
    `UPDATE xcover_event SET attempts = attempts + 1, lease_until = clock_timestamp() + (? * interval '1 millisecond'), updated_at = now()
     WHERE id IN (
       SELECT id FROM xcover_event
       WHERE published_at IS NULL AND deleted_at IS NULL AND (lease_until IS NULL OR lease_until < now())
       ORDER BY created_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
     RETURNING id, name, data, created_at`,
    [PUBLISH_LEASE_MS, limit]
  )
  return rows
    .sort(
      (a, b) =>
        new Date(a.created_at as string).getTime() -
        new Date(b.created_at as string).getTime()
    )
    .map((r) => ({
      id: String(r.id),
      name: String(r.name),
      data: (r.data ?? {}) as Record<string, unknown>,
    }))
}

export async function markEventPublished(
  db: SqlExecutor,
  id: string
): Promise<void> {
  await db.nativeUpdate(
    EventEntity,
    { id },
    {
      published_at: new Date(),
      lease_until: null,
      last_error: null,
      updated_at: new Date(),
    }
  )
}

/** The bus did not take it: due again at once for the next publisher (the job's, at the latest). */
export async function markEventUnpublished(
  db: SqlExecutor,
  id: string,
  error: string
): Promise<void> {
  await db.nativeUpdate(
    EventEntity,
    { id },
    {
      lease_until: null,
      last_error: error.slice(0, 500),
      updated_at: new Date(),
    }
  )
}

/** What one publishing run of the plugin's events did. */
export type EventsPublished = { published: number; failed: number }

const PUBLISH_BATCH = 100

/**
 * Publishes every event not yet taken by the event bus, oldest first, each with its `id` in the
 * data: at least once, so subscribers drop a repeat by `id`. Asked after each outcome (by the
 * dispatcher) and by the job (events a crash or a bus outage left behind). One run at a time per
 * process; an ask during a run makes it look once more.
 */
export class EventPublisher {
  private running: Promise<EventsPublished> | null = null
  private again = false

  constructor(
    private readonly db: SqlExecutor,
    private readonly logger: Logger,
    /** Medusa's event bus (absent in a module loaded alone: nothing is published). */
    private readonly eventBus: IEventBusModuleService | undefined,
    /** The app is shutting down: no new batch is taken. */
    private readonly stopped: () => boolean
  ) {}

  publish(): Promise<EventsPublished> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = this.run()
      .catch((err: unknown) => {
        this.logger.warn(
          `xcover: publishing events failed this time: ${err instanceof Error ? err.message : String(err)}`
        )
        return { published: 0, failed: 0 }
      })
      .finally(() => {
        this.running = null
      })
    return this.running
  }

  private async run(): Promise<EventsPublished> {
    const result: EventsPublished = { published: 0, failed: 0 }
    do {
      this.again = false
      for (;;) {
        const batch =
          this.eventBus && !this.stopped()
            ? await claimUnpublishedEvents(this.db, PUBLISH_BATCH)
            : []
        for (const event of batch) {
          try {
            await this.eventBus?.emit({
              name: event.name,
              data: { ...event.data, id: event.id },
            })
            await markEventPublished(this.db, event.id)
            result.published++
          } catch (err) {
            const why = err instanceof Error ? err.message : String(err)
            await markEventUnpublished(this.db, event.id, why).catch(
              () => undefined
            )
            this.logger.warn(
              `xcover: could not publish ${event.name} ${event.id} (${why}); it is published again later`
            )
            result.failed++
          }
        }
        if (batch.length < PUBLISH_BATCH || result.failed) {
          break
        }
      }
    } while (this.again && !result.failed)
    return result
  }
}
