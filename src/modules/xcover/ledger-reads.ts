import type { Context } from "@medusajs/framework/types"
import { MedusaService } from "@medusajs/framework/utils"
import {
  BOOKING_EVENT_VIEW_FIELDS,
  type BookingEventView,
} from "./ledger/booking-events"
import {
  BOOKING_VIEW_FIELDS,
  bookingView,
  CANCELLATION_VIEW_FIELDS,
  type BookingFilters,
  type BookingView,
} from "./ledger/bookings"
import { RECORDED_OFFER_FIELDS, type RecordedOffer } from "./ledger/offers"
import { QUOTED_OFFER_FIELDS, type QuotedOffer } from "./ledger/quoted-offers"
import { pickFields } from "./orm"
import XcoverBooking from "./models/xcover-booking"
import XcoverBookingEvent from "./models/xcover-booking-event"
import XcoverCancellation from "./models/xcover-cancellation"
import XcoverEvent from "./models/xcover-event"
import XcoverOffer from "./models/xcover-offer"
import XcoverRecoveryCursor from "./models/xcover-recovery-cursor"
import { ordersToRetryOf } from "./recovery/order-cursor"

/**
 * The module's plain reads, through its generated methods: each takes a `sharedContext`, so it
 * joins a caller's transaction (a workflow step's, say). The façade (`service.ts`) extends this
 * with everything that writes or calls XCover.
 */
export class XcoverLedgerReads extends MedusaService({
  XcoverOffer,
  XcoverBooking,
  XcoverBookingEvent,
  XcoverEvent,
  XcoverCancellation,
  XcoverRecoveryCursor,
}) {
  /** A cart's recorded offers, oldest first. */
  async listCartOffers(
    cartId: string,
    sharedContext: Context = {}
  ): Promise<RecordedOffer[]> {
    const offers = await this.listXcoverOffers(
      { cart_id: cartId },
      {
        select: [...RECORDED_OFFER_FIELDS],
        order: { created_at: "ASC", offer_id: "ASC" },
      },
      sharedContext
    )
    return offers.map((offer) => pickFields(offer, RECORDED_OFFER_FIELDS))
  }

  async ordersToRetry(sharedContext: Context = {}): Promise<string[]> {
    const [changed] = await this.listXcoverRecoveryCursors(
      { name: "changed_orders" },
      { select: ["retry_order_ids"] },
      sharedContext
    )
    return ordersToRetryOf(changed)
  }

  /** An order's bookings, in the order they were decided. */
  async listOrderBookings(
    orderId: string,
    sharedContext: Context = {}
  ): Promise<BookingView[]> {
    const bookings = await this.listXcoverBookings(
      { order_id: orderId },
      {
        select: [...BOOKING_VIEW_FIELDS],
        order: { decided_at: "ASC", offer_id: "ASC" },
      },
      sharedContext
    )
    return this.withCancellations(bookings, sharedContext)
  }

  /** The admin's list of bookings, newest decision first, and how many match. */
  async listBookings(
    filters: BookingFilters,
    sharedContext: Context = {}
  ): Promise<{ bookings: BookingView[]; count: number }> {
    const [bookings, count] = await this.listAndCountXcoverBookings(
      {
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.order_id ? { order_id: filters.order_id } : {}),
      },
      {
        select: [...BOOKING_VIEW_FIELDS],
        order: { decided_at: "DESC", id: "ASC" },
        take: filters.limit,
        skip: filters.offset,
      },
      sharedContext
    )
    return {
      bookings: await this.withCancellations(bookings, sharedContext),
      count,
    }
  }

  /** Bookings as views: each with its cancellation, read in one more query for all of them. */
  protected async withCancellations(
    bookings: Record<(typeof BOOKING_VIEW_FIELDS)[number], unknown>[],
    sharedContext: Context
  ): Promise<BookingView[]> {
    const cancellations = bookings.length
      ? await this.listXcoverCancellations(
          { booking_row_id: bookings.map((b) => String(b.id)) },
          { select: [...CANCELLATION_VIEW_FIELDS] },
          sharedContext
        )
      : []
    const byBooking = new Map(cancellations.map((c) => [c.booking_row_id, c]))
    return bookings.map((b) => bookingView(b, byBooking.get(String(b.id))))
  }

  async getBooking(
    id: string,
    sharedContext: Context = {}
  ): Promise<BookingView | null> {
    const bookings = await this.listXcoverBookings(
      { id },
      { select: [...BOOKING_VIEW_FIELDS] },
      sharedContext
    )
    const [view] = await this.withCancellations(bookings, sharedContext)
    return view ?? null
  }

  /** A booking's history, oldest first: a plain read, through the module's generated method (joins a caller's transaction). */
  async listBookingEvents(
    bookingRowId: string,
    sharedContext: Context = {}
  ): Promise<BookingEventView[]> {
    const events = await this.listXcoverBookingEvents(
      { booking_row_id: bookingRowId },
      {
        select: [...BOOKING_EVENT_VIEW_FIELDS],
        order: { created_at: "ASC", id: "ASC" },
      },
      sharedContext
    )
    return events.map((event) => pickFields(event, BOOKING_EVENT_VIEW_FIELDS))
  }

  /** Events written and not yet taken by the event bus. */
  async countUnpublishedEvents(sharedContext: Context = {}): Promise<number> {
    const [, count] = await this.listAndCountXcoverEvents(
      { published_at: null },
      { select: ["id"], take: 1 },
      sharedContext
    )
    return count
  }

  async getQuotedOffer(
    offerId: string,
    sharedContext: Context = {}
  ): Promise<(QuotedOffer & { source: string }) | null> {
    const offers = await this.getQuotedOffers([offerId], sharedContext)
    return offers.get(offerId) ?? null
  }

  /** Several offers as `getQuotedOffer` reads one, in one query, by offer id (unknown ones absent). */
  async getQuotedOffers(
    offerIds: string[],
    sharedContext: Context = {}
  ): Promise<Map<string, QuotedOffer & { source: string }>> {
    const offers = offerIds.length
      ? await this.listXcoverOffers(
          { offer_id: offerIds },
          { select: [...QUOTED_OFFER_FIELDS] },
          sharedContext
        )
      : []
    return new Map(
      offers.map((offer) => [
        offer.offer_id,
        pickFields(offer, QUOTED_OFFER_FIELDS) as unknown as QuotedOffer & {
          source: string
        },
      ])
    )
  }

  /** Whether the plugin ever quoted for this cart: carts without (most) skip cover checks. */
  async hasQuotedOffers(
    cartId: string,
    sharedContext: Context = {}
  ): Promise<boolean> {
    const quoted = await this.listXcoverOffers(
      { cart_id: cartId, source: "plugin_quote" },
      { select: ["id"], take: 1 },
      sharedContext
    )
    return quoted.length > 0
  }
}
