import type {
  EntityName,
  FilterQuery,
  QueryOrderMap,
} from "@medusajs/framework/mikro-orm/core"
import { toMikroORMEntity } from "@medusajs/framework/utils"
import type { SqlExecutor } from "./sql"
import XcoverBooking from "./models/xcover-booking"
import XcoverCancellation from "./models/xcover-cancellation"
import XcoverDispatchState from "./models/xcover-dispatch-state"
import XcoverEvent from "./models/xcover-event"
import XcoverOffer from "./models/xcover-offer"
import XcoverReadback from "./models/xcover-readback"
import XcoverRecoveryCursor from "./models/xcover-recovery-cursor"
import XcoverSettings from "./models/xcover-settings"

/**
 * The models as the entity manager knows them, for plain reads and writes inside a transaction
 * the ledger already holds (`findRows` below, `em.count`, `em.insert`, `em.nativeUpdate`,
 * `em.nativeDelete`, the query builder): the generated methods take a `sharedContext` instead,
 * but a ledger function has only its `em`.
 * Medusa builds each model's entity once and returns the same one to its loader. This file is
 * not in `models/`: the loader takes every export there for a model of its own.
 */
export const OfferEntity = toMikroORMEntity(XcoverOffer)
export const BookingEntity = toMikroORMEntity(XcoverBooking)
export const CancellationEntity = toMikroORMEntity(XcoverCancellation)
export const DispatchStateEntity = toMikroORMEntity(XcoverDispatchState)
export const EventEntity = toMikroORMEntity(XcoverEvent)
export const ReadbackEntity = toMikroORMEntity(XcoverReadback)
export const RecoveryCursorEntity = toMikroORMEntity(XcoverRecoveryCursor)
export const SettingsEntity = toMikroORMEntity(XcoverSettings)

/** A row of each model, as `findRows` and the query builder read it. */
export type OfferRow = InstanceType<typeof OfferEntity>
export type BookingRow = InstanceType<typeof BookingEntity>

/** A view's fields taken from a row (a model's, or a generated method's), missing ones as null. */
export function pickFields<T extends object, F extends keyof T & string>(
  row: T,
  fields: readonly F[]
): Pick<T, F> {
  return Object.fromEntries(fields.map((f) => [f, row[f] ?? null])) as Pick<
    T,
    F
  >
}

/**
 * A plain read through a model in the caller's transaction (soft-deleted rows left out by the
 * model's filter), as plain objects of `fields`. Outside the identity map: the ledger's raw
 * statements change rows under it, so a second read must see the table, not a cached entity.
 */
export async function findRows<E extends object, F extends keyof E & string>(
  em: SqlExecutor,
  entity: EntityName<E>,
  where: FilterQuery<E>,
  fields: readonly F[],
  options: { orderBy?: QueryOrderMap<E>; limit?: number; offset?: number } = {}
): Promise<Pick<E, F>[]> {
  const rows = await em.find(entity, where, {
    fields: [...fields] as never,
    disableIdentityMap: true,
    ...options,
  })
  return rows.map((row) => pickFields(row as E, fields))
}
