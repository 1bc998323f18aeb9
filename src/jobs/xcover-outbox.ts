import { randomUUID } from "node:crypto"
import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../modules/xcover"
import type { OrderPosition } from "../modules/xcover/recovery/order-cursor"
import {
  recoverMissedOrders,
  type PlacedOrder,
  type RecoveryRun,
} from "../modules/xcover/recovery/recover-missed-orders"
import {
  reconcileAllOrders,
  reconcileChangedOrders,
  type OrderFacts,
  type ReconcileRun,
} from "../modules/xcover/recovery/reconcile-orders"
import {
  loadOrderFacts,
  reconcileDepsOf,
} from "../workflows/reconcile-xcover-orders"
import type XcoverModuleService from "../modules/xcover/service"
import type { DispatchResult, EventsPublished } from "../modules/xcover/service"
import { orderDecider } from "../workflows/decide-xcover-order-offers"
import {
  COVER_PRODUCT_TYPE_ID,
  COVER_PRODUCT_TYPE_VALUE,
  ensureCoverProductType,
} from "../workflows/steps/exempt-cover-from-tax"
import {
  ORDER_OFFER_FIELDS,
  orderOffersInput,
  type OrderGraph,
} from "../workflows/order-graph"

export type DispatchJobRun = {
  recovery: RecoveryRun | null
  reconciliation: ReconcileRun | null
  full_pass: ReconcileRun | null
  dispatch: DispatchResult | null
  bookings: DispatchResult | null
  cancellations: DispatchResult | null
  readbacks: DispatchResult | null
  events: EventsPublished | null
}

/**
 * The plugin's background work, every minute: the durable half of delivery and the books. Runs in every server/worker process that runs jobs; the order
 * cursor and the offers are claimed atomically, so processes share the work without doing
 * anything twice.
 * 1. Orders placed since the last run whose `order.placed` was lost get their offers decided
 *    (recorded; step 2 sends them);
 *    the reconciler compares the orders changed since its last run (and, once a day, every
 *    order with a live policy) with their policies: whatever event was lost, what must be
 *    cancelled is asked for (recovery/reconcile-orders).
 * 2. Every due opt-out, confirm, cancellation and read-back (Get Booking) is sent: retries, and calls whose sender died
 *    mid-call; a cancellation whose booking is booked is due, even if its wake-up was missed.
 * 3. Every event not yet taken by the event bus is published (a crash or a bus outage left it).
 * A failure in 1 (one order, or the whole pass) is logged and never stops 2 and 3.
 */
export default async function runXcoverOutboxJob(
  container: MedusaContainer
): Promise<DispatchJobRun> {
  const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  if (xcover.isShutDown) {
    // A schedule that outlives its app (a test runner, a hot reload) must not move the cursor.
    return {
      recovery: null,
      reconciliation: null,
      full_pass: null,
      dispatch: null,
      bookings: null,
      cancellations: null,
      readbacks: null,
      events: null,
    }
  }
  try {
    // The product type a merchant gives an insurance product of their own (docs/store-api.md, "What counts as taken").
    if (await ensureCoverProductType(container)) {
      logger.info(
        `xcover: created the product type "${COVER_PRODUCT_TYPE_VALUE}" (${COVER_PRODUCT_TYPE_ID}) for insurance products`
      )
    }
  } catch (err) {
    logger.warn(
      `xcover: could not create the "${COVER_PRODUCT_TYPE_VALUE}" product type: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  let recovery: RecoveryRun | null = null
  try {
    recovery = await recoverMissedOrders({
      ledger: xcover,
      loadOrders: (after, upTo, take) =>
        loadPlacedOrders(container, after, upTo, take),
      // Recorded only: this run's sweeps below send what the decisions wrote.
      decide: orderDecider(container),
      logger,
      owner: `${process.pid}-${randomUUID()}`,
    })
  } catch (err) {
    logger.error(
      `xcover: recovery of lost orders failed this run: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  // The reconciler: orders changed since the last run, then (daily) every order with a live policy.
  const passDeps = {
    ...reconcileDepsOf(container),
    owner: `${process.pid}-${randomUUID()}`,
    loadOrders: (ids: string[]) => loadOrderFacts(container, { id: ids }),
  }
  let reconciliation: ReconcileRun | null = null
  try {
    reconciliation = await reconcileChangedOrders({
      ...passDeps,
      loadChangedOrders: (after, upTo, take) =>
        loadChangedOrders(container, after, upTo, take),
    })
  } catch (err) {
    logger.error(
      `xcover: reconciliation of changed orders failed this run: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  let full_pass: ReconcileRun | null = null
  try {
    full_pass = await reconcileAllOrders(passDeps)
  } catch (err) {
    logger.error(
      `xcover: the full reconciliation pass failed this run: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  try {
    const woken = await xcover.wakeWaitingCancellations()
    if (woken) {
      logger.warn(
        `xcover: ${woken} cancellation(s) of booked policies were waiting with no due time; sent now`
      )
    }
  } catch (err) {
    logger.error(
      `xcover: waking waiting cancellations failed this run: ${err instanceof Error ? err.message : String(err)}`
    )
  }
  // The kinds share the account's rate budget; none waits for another's backlog.
  const [dispatch, bookings, cancellations, readbacks] = await Promise.all([
    xcover.dispatchAllDueOptOuts(),
    xcover.dispatchAllDueBookings(),
    xcover.dispatchAllDueCancellations(),
    xcover.dispatchAllDueReadbacks(),
  ])
  const events = await xcover.publishEvents()
  return {
    recovery,
    reconciliation,
    full_pass,
    dispatch,
    bookings,
    cancellations,
    readbacks,
    events,
  }
}

/** Orders after `after` in (created_at, id) order, none created after `upTo`. */
async function loadPlacedOrders(
  container: MedusaContainer,
  after: OrderPosition,
  upTo: Date,
  take: number
): Promise<PlacedOrder[]> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ORDER_OFFER_FIELDS,
    filters: {
      $and: [
        { created_at: { $lte: upTo } },
        {
          $or: [
            { created_at: { $gt: after.created_at } },
            { created_at: after.created_at, id: { $gt: after.id } },
          ],
        },
      ],
    },
    pagination: { order: { created_at: "ASC", id: "ASC" }, take },
  })
  return (data as OrderGraph[]).map((order) => {
    // Metadata problems are reported once, by the decision, not on every check.
    const { input } = orderOffersInput(order)
    return {
      id: order.id,
      created_at: new Date(order.created_at),
      cart_id: input?.cart_id ?? null,
      metadata_offer_ids: input?.metadata_offer_ids ?? [],
      selected_offer_ids: input?.selected_offer_ids ?? [],
    }
  })
}

/** Orders after `after` in (updated_at, id) order, none updated after `upTo`, as the reconciler reads them. */
function loadChangedOrders(
  container: MedusaContainer,
  after: OrderPosition,
  upTo: Date,
  take: number
): Promise<OrderFacts[]> {
  return loadOrderFacts(
    container,
    {
      $and: [
        { updated_at: { $lte: upTo } },
        {
          $or: [
            { updated_at: { $gt: after.created_at } },
            { updated_at: after.created_at, id: { $gt: after.id } },
          ],
        },
      ],
    },
    { order: { updated_at: "ASC", id: "ASC" }, take }
  )
}

export const config = {
  // Was `dispatch-xcover-opt-outs`: it does all of the plugin's background work, not only opt-outs.
  name: "xcover-outbox",
  // Cron with an optional seconds field; tests use a shorter period.
  schedule: process.env.XCOVER_DISPATCH_SCHEDULE || "* * * * *",
}
