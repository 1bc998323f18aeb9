import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import { createAdminUser } from "../helpers/admin-user"
import { bookedOrder as bookedOrderOf } from "../helpers/booked-order"
import { eventually } from "../helpers/eventually"
import { Merchant, type OrderLine } from "../helpers/merchant"
import { seedStoreOnce } from "../helpers/seed-once"
import { answer, Storefront } from "../helpers/storefront"
import { useXcoverStandIn } from "../helpers/xcover-env"
import runXcoverOutboxJob from "../../src/jobs/xcover-outbox"
import orderReconcile from "../../src/subscribers/xcover-order-reconcile"
import type XcoverModuleService from "../../src/modules/xcover/service"

jest.setTimeout(120_000)

const standIn = useXcoverStandIn()

medusaIntegrationTestRunner({
  testSuite: (suite) => {
    const { api, getContainer, dbConnection } = suite
    let shop: Storefront
    let admin: { headers: Record<string, string> }
    const xcover = () => getContainer().resolve<XcoverModuleService>("xcover")
    const bookingsOf = (orderId: string) => xcover().listOrderBookings(orderId)
    const hookUrl = () => `${api.defaults.baseURL}/hooks/xcover`

    const seededStore = seedStoreOnce(suite, async (container) => {
      admin = await createAdminUser(container, api)
    })
    beforeEach(() => {
      standIn.reset()
      shop = new Storefront(api, seededStore())
    })

    /**
     * Moves an order's last change (and its bookings) ten minutes into the past: the
     * reconciliation passes only changes older than its grace window, and its first pass starts
     * at the oldest booking.
     */
    const pastGraceWindow = async (orderId: string) => {
      await dbConnection.raw(
        `UPDATE "order" SET updated_at = updated_at - interval '10 minutes' WHERE id = ?`,
        [orderId]
      )
      await dbConnection.raw(
        `UPDATE xcover_booking SET created_at = created_at - interval '10 minutes' WHERE order_id = ?`,
        [orderId]
      )
      // A cursor an earlier run of this test file left behind would already be past them.
      await dbConnection.raw(
        `DELETE FROM xcover_recovery_cursor WHERE name = 'changed_orders'`
      )
    }

    const bookedOrder = () => bookedOrderOf(shop, xcover)

    /** Waits for the order's policy to be cancelled, then checks it was for this reason and once at XCover. */
    const expectCancelled = async (
      orderId: string,
      offerId: string,
      reason: string
    ) => {
      const after = await eventually(async () => {
        const [b] = await bookingsOf(orderId)
        expect(b.booking_status).toBe("CANCELLED")
        return b
      })
      expect(after.cancellation).toMatchObject({ status: "cancelled", reason })
      expect(standIn.cancellationsFor(offerId)).toHaveLength(1)
      expect(standIn.bookingFor(offerId)?.status).toBe("CANCELLED")
      return after
    }

    it("cancels the booking of a cancelled order once, keeps XCover's refund, and sends nothing more on a second event", async () => {
      const cancelled: Record<string, unknown>[] = []
      getContainer()
        .resolve(Modules.EVENT_BUS)
        .subscribe(
          "xcover.booking.cancelled",
          async (e) => void cancelled.push(e.data as Record<string, unknown>),
          { subscriberId: `t-${Date.now()}` }
        )
      standIn.setRefundRatio(0.8)
      const { orderId, offer, booking } = await bookedOrder()
      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)

      const after = await eventually(async () => {
        const [b] = await bookingsOf(orderId)
        expect(b.booking_status).toBe("CANCELLED")
        return b
      })
      const price = offer.quotes[0].price.amount
      expect(after.total_refund).toBeCloseTo(
        Math.round(price * 0.8 * 100) / 100,
        2
      )
      expect(after.refund).toEqual([
        expect.objectContaining({
          id: offer.quotes[0].id,
          refund_value: expect.any(Number),
          adjustment_fee: expect.any(Number),
        }),
      ])
      expect(after.cancellation).toMatchObject({
        status: "cancelled",
        reason: "order_canceled",
      })
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
      // The two steps: a preview, then the confirmation of that cancellation id.
      // XCover's preview says CANCELLED (what the booking would be): only the confirmation cancels.
      const steps = standIn
        .requestsFor(offer.offer_id)
        .filter(
          (r) => r.route === "cancel" || r.route === "confirm_cancellation"
        )
      expect(steps.map((r) => r.route)).toEqual([
        "cancel",
        "confirm_cancellation",
      ])
      expect(steps[0].body).toEqual({
        preview: true,
        quotes: [
          {
            id: offer.quotes[0].id,
            reason_for_cancellation: "Order cancelled in the store",
          },
        ],
      })
      expect(standIn.bookingFor(offer.offer_id)?.status).toBe("CANCELLED")
      await eventually(() =>
        expect(cancelled).toEqual([
          expect.objectContaining({
            order_id: orderId,
            booking_id: booking.booking_id,
            total_refund: after.total_refund,
          }),
        ])
      )

      // order.canceled again (a redelivery): nothing more goes to XCover.
      await getContainer()
        .resolve(Modules.EVENT_BUS)
        .emit({ name: "order.canceled", data: { id: orderId } })
      const before = standIn.received.length
      await xcover().dispatchDueCancellations({ order_id: orderId })
      expect(standIn.received.length).toBe(before)
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
    })

    it("retries 5xx and 429 and cancels once; a lost answer's retry (422 already cancelled) is recorded as cancelled", async () => {
      const { orderId, offer } = await bookedOrder()
      standIn.script(
        offer.offer_id,
        { status: 503 },
        { status: 429, headers: { "retry-after": "1" } },
        { status: 200 },
        { bookThen: "reset" }
      )
      await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
      await eventually(
        async () =>
          expect((await bookingsOf(orderId))[0].booking_status).toBe(
            "CANCELLED"
          ),
        { timeoutMs: 30_000 }
      )
      const calls = standIn
        .requestsFor(offer.offer_id)
        .filter(
          (r) => r.route === "cancel" || r.route === "confirm_cancellation"
        )
      expect(calls.map((r) => `${r.route} ${r.answer}`)).toEqual([
        "cancel 503",
        "cancel 429",
        "cancel 200",
        "confirm_cancellation reset",
        "confirm_cancellation 422",
      ])
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
    })

    it("publishes the refund's event after the event bus failed to take it (as after a crash), once, with one id", async () => {
      const seen: Record<string, unknown>[] = []
      const bus = getContainer().resolve(Modules.EVENT_BUS)
      bus.subscribe(
        "xcover.booking.cancelled",
        async (e) => void seen.push(e.data as Record<string, unknown>),
        { subscriberId: `durable-${Date.now()}` }
      )
      const { orderId, booking } = await bookedOrder()
      // The outcome commits; the bus then refuses the event (a Redis blip, or the process dies here).
      const emit = bus.emit.bind(bus)
      const spy = jest
        .spyOn(bus, "emit")
        .mockImplementation(async (...args: Parameters<typeof bus.emit>) => {
          const [message] = args
          if (
            !Array.isArray(message) &&
            message.name === "xcover.booking.cancelled"
          ) {
            throw new Error("event bus unavailable")
          }
          return emit(...args)
        })
      try {
        await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
        await eventually(async () =>
          expect((await bookingsOf(orderId))[0].booking_status).toBe(
            "CANCELLED"
          )
        )
        await eventually(async () =>
          expect(await xcover().countUnpublishedEvents()).toBe(1)
        )
        expect(seen).toEqual([])
      } finally {
        spy.mockRestore()
      }
      // The job's next run publishes what was left, once: a later run finds nothing more.
      expect((await runXcoverOutboxJob(getContainer())).events).toEqual({
        published: 1,
        failed: 0,
      })
      await eventually(() =>
        expect(seen).toEqual([
          expect.objectContaining({
            id: expect.stringMatching(/^xcev_/),
            order_id: orderId,
            booking_id: booking.booking_id,
          }),
        ])
      )
      expect((await runXcoverOutboxJob(getContainer())).events).toEqual({
        published: 0,
        failed: 0,
      })
      expect(seen).toHaveLength(1)
      expect(await xcover().countUnpublishedEvents()).toBe(0)
    })

    it("sends a cancellation left waiting with no due time (asked for while its booking completed), at the job's next run", async () => {
      const { orderId, offer } = await bookedOrder()
      // As a request that read the booking still `sending` and a completion that looked for
      // waiting cancellations before the request committed leave it: pending, never due.
      await xcover().requestCancellations({
        order_id: orderId,
        reason: "order_canceled",
      })
      await dbConnection.raw(
        `UPDATE xcover_cancellation SET next_attempt_at = NULL WHERE order_id = ?`,
        [orderId]
      )
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(0)
      await runXcoverOutboxJob(getContainer())
      await eventually(async () =>
        expect((await bookingsOf(orderId))[0].booking_status).toBe("CANCELLED")
      )
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
    })

    it("asks for cancellations inside a caller's transaction: rolled back with it, nothing is asked or sent; committed with it, sent", async () => {
      const { orderId, offer } = await bookedOrder()
      // The module's own repository opens the transaction, as Medusa's @InjectTransactionManager
      // does for a module method that passes its sharedContext on.
      const inTransaction = <T>(
        work: (transactionManager: unknown) => Promise<T>
      ) =>
        (
          xcover() as unknown as {
            baseRepository_: {
              transaction<R>(task: (tm: unknown) => Promise<R>): Promise<R>
            }
          }
        ).baseRepository_.transaction(work)
      const ask = (transactionManager: unknown) =>
        xcover().requestCancellations(
          { order_id: orderId, reason: "order_canceled" },
          { transactionManager }
        )
      await expect(
        inTransaction(async (transactionManager) => {
          expect(await ask(transactionManager)).toEqual([offer.offer_id])
          throw new Error("the caller's work failed")
        })
      ).rejects.toThrow("the caller's work failed")
      expect((await bookingsOf(orderId))[0].cancellation).toBeNull()
      await xcover().dispatchDueCancellations({ order_id: orderId })
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(0)

      await inTransaction(ask)
      await xcover().dispatchDueCancellations({ order_id: orderId })
      await eventually(async () =>
        expect((await bookingsOf(orderId))[0].booking_status).toBe("CANCELLED")
      )
      expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
    })

    it("cancels the policy of an order cancelled without its order.canceled reaching the plugin, at the next reconciliation pass", async () => {
      const { orderId, offer } = await bookedOrder()
      // The order module's own cancel: the status changes, no order.canceled is emitted (a lost event).
      await getContainer().resolve(Modules.ORDER).cancel(orderId)
      expect((await bookingsOf(orderId))[0]).toMatchObject({
        booking_status: "CONFIRMED",
        cancellation: null,
      })
      await pastGraceWindow(orderId)
      const run = await runXcoverOutboxJob(getContainer())
      expect(run.reconciliation).toMatchObject({ failed: [] })
      await expectCancelled(orderId, offer.offer_id, "order_canceled")
    })

    it("never cancels a booking its order did not ask for", async () => {
      const first = await bookedOrder()
      const second = await bookedOrder()
      await api.post(`/admin/orders/${first.orderId}/cancel`, {}, admin)
      await eventually(async () =>
        expect((await bookingsOf(first.orderId))[0].booking_status).toBe(
          "CANCELLED"
        )
      )
      expect((await bookingsOf(second.orderId))[0]).toMatchObject({
        booking_status: "CONFIRMED",
        cancellation: null,
      })
      expect(standIn.cancellationsFor(second.offer.offer_id)).toHaveLength(0)
    })

    it("cancels by hand from the admin API after XCover's preview of the refund", async () => {
      const { orderId, booking } = await bookedOrder()
      const { data: preview } = await api.post(
        `/admin/xcover/bookings/${booking.id}/cancel-preview`,
        {},
        admin
      )
      expect(preview.preview).toMatchObject({
        total_refund: booking.total_price,
        currency: "EUR",
      })
      // A preview changes nothing, at XCover or here.
      expect((await bookingsOf(orderId))[0]).toMatchObject({
        booking_status: "CONFIRMED",
        cancellation: null,
      })
      const { data } = await api.post(
        `/admin/xcover/bookings/${booking.id}/cancel`,
        {},
        admin
      )
      expect(data.booking.id).toBe(booking.id)
      // The route answers after its dispatch; a busy budget may leave the confirmation to the sweep.
      await eventually(async () =>
        expect(await xcover().getBooking(booking.id)).toMatchObject({
          booking_status: "CANCELLED",
          total_refund: booking.total_price,
          cancellation: { status: "cancelled", reason: "admin" },
        })
      )
      const again = await answer(
        api.post(`/admin/xcover/bookings/${booking.id}/cancel`, {}, admin)
      )
      expect(again.status).toBe(400)
    })

    describe("returns", () => {
      let merchant: Merchant
      beforeEach(() => {
        merchant = new Merchant(api, admin)
      })

      /** An order with two tent lines, each covered (two cover lines, two bookings), fulfilled. */
      const twoCoveredOrder = async () => {
        const cartId = await shop.createCart()
        await shop.addItem(cartId, 1, { second: true })
        const tents = (await shop.cart(cartId)).items.filter(
          (i: any) => i.variant_id
        )
        expect(tents).toHaveLength(2)
        const offers = []
        for (const tent of tents) {
          const offer = (await shop.quote(cartId, tent.id)).data.xcover_offer
          expect(
            (
              await shop.select(cartId, offer.offer_id, {
                quote_id: offer.quotes[0].id,
              })
            ).status
          ).toBe(200)
          offers.push(offer)
        }
        const orderId = await shop.complete(cartId)
        await eventually(async () => {
          const bookings = await bookingsOf(orderId)
          expect(bookings.map((b) => b.status)).toEqual(["booked", "booked"])
        })
        await merchant.fulfilAll(orderId)
        const lines = await merchant.lines(orderId)
        const coverOf = (offerId: string) =>
          lines.find(
            (l) => !l.variant_id && l.metadata?.xcover_offer_id === offerId
          ) as OrderLine
        const tentLines = lines.filter((l) => l.variant_id)
        return { orderId, offers, coverOf, tentLines }
      }
      const bookingOf = async (orderId: string, offerId: string) =>
        (await bookingsOf(orderId)).find((b) => b.offer_id === offerId)!
      const cancelCalls = () =>
        standIn.received.filter(
          (r) => r.route === "cancel" || r.route === "confirm_cancellation"
        )

      it("cancels only the booking whose cover line was returned through the admin return flow, keeping XCover's refund", async () => {
        standIn.setRefundRatio(0.5)
        const { orderId, offers, coverOf } = await twoCoveredOrder()
        const [returned, kept] = offers
        await merchant.returnLines(orderId, [coverOf(returned.offer_id).id])

        const after = await eventually(async () => {
          const b = await bookingOf(orderId, returned.offer_id)
          expect(b.booking_status).toBe("CANCELLED")
          return b
        })
        expect(after.cancellation).toMatchObject({
          status: "cancelled",
          reason: "returned",
        })
        expect(after.total_refund).toBeCloseTo(
          Math.round(returned.quotes[0].price.amount * 0.5 * 100) / 100,
          2
        )
        expect(after.refund).toEqual([
          expect.objectContaining({
            id: returned.quotes[0].id,
            refund_value: after.total_refund,
          }),
        ])
        expect(standIn.cancellationsFor(returned.offer_id)).toHaveLength(1)

        expect(await bookingOf(orderId, kept.offer_id)).toMatchObject({
          booking_status: "CONFIRMED",
          cancellation: null,
          cancelled_at: null,
        })
        expect(standIn.cancellationsFor(kept.offer_id)).toHaveLength(0)
        expect(
          standIn
            .requestsFor(kept.offer_id)
            .filter(
              (r) => r.route === "cancel" || r.route === "confirm_cancellation"
            )
        ).toEqual([])
      })

      it("cancels the booking of a returned cover line whose order.return_received never reached the plugin, at the next reconciliation pass", async () => {
        const { orderId, offers, coverOf } = await twoCoveredOrder()
        const [returned, kept] = offers
        const bus = getContainer().resolve(Modules.EVENT_BUS)
        const subscriberId = "medusa-plugin-xcover-order-reconcile"
        // The event is lost: the plugin's subscriber is not there while the return is received.
        bus.unsubscribe("order.return_received", async () => undefined, {
          subscriberId,
        })
        const updatedAt = async () =>
          new Date(
            (
              await dbConnection.raw(
                `SELECT updated_at FROM "order" WHERE id = ?`,
                [orderId]
              )
            ).rows[0].updated_at
          )
        const before = await updatedAt()
        try {
          await merchant.returnLines(orderId, [coverOf(returned.offer_id).id])
        } finally {
          bus.subscribe(
            "order.return_received",
            (event) =>
              orderReconcile({
                event,
                container: getContainer(),
                pluginOptions: {},
              } as never),
            { subscriberId }
          )
        }
        // Receiving a return changes the order (a new version): that is what the reconciliation follows.
        expect((await updatedAt()).getTime()).toBeGreaterThan(before.getTime())
        expect(
          (await bookingOf(orderId, returned.offer_id)).cancellation
        ).toBeNull()
        await pastGraceWindow(orderId)
        await runXcoverOutboxJob(getContainer())
        const after = await eventually(async () => {
          const b = await bookingOf(orderId, returned.offer_id)
          expect(b.booking_status).toBe("CANCELLED")
          return b
        })
        expect(after.cancellation).toMatchObject({
          status: "cancelled",
          reason: "returned",
        })
        expect(standIn.cancellationsFor(returned.offer_id)).toHaveLength(1)
        expect(await bookingOf(orderId, kept.offer_id)).toMatchObject({
          booking_status: "CONFIRMED",
          cancellation: null,
        })
      })

      it("cancels nothing when only a tent line comes back, its cover kept", async () => {
        const { orderId, offers, tentLines } = await twoCoveredOrder()
        const compared = jest.spyOn(xcover(), "livePolicies")
        const asked = jest.spyOn(xcover(), "requestCancellations")
        try {
          await merchant.returnLines(orderId, [tentLines[0].id])
          // Nothing to see at XCover either way, so the reconciler's run is the signal: it compared the order and asked for nothing.
          await eventually(() =>
            expect(compared).toHaveBeenCalledWith([orderId])
          )
          await Promise.all(compared.mock.results.map((r) => r.value))
          expect(asked).not.toHaveBeenCalled()
        } finally {
          compared.mockRestore()
          asked.mockRestore()
        }
        await xcover().dispatchDueCancellations({ order_id: orderId })
        for (const offer of offers) {
          expect(await bookingOf(orderId, offer.offer_id)).toMatchObject({
            booking_status: "CONFIRMED",
            cancellation: null,
          })
        }
        expect(cancelCalls()).toEqual([])
      })

      it("cancels the booking of a cover line a claim takes back, once the claim's return is received", async () => {
        const { orderId, offers, coverOf } = await twoCoveredOrder()
        const [claimed, kept] = offers
        const { returnId } = await merchant.claimLines(orderId, [
          coverOf(claimed.offer_id).id,
        ])
        // A confirmed claim (order.claim_created) has not got the line back yet: nothing is cancelled.
        await xcover().dispatchDueCancellations({ order_id: orderId })
        expect(
          (await bookingOf(orderId, claimed.offer_id)).cancellation
        ).toBeNull()
        expect(cancelCalls()).toEqual([])

        await merchant.receive(returnId, [coverOf(claimed.offer_id).id])
        const after = await eventually(async () => {
          const b = await bookingOf(orderId, claimed.offer_id)
          expect(b.booking_status).toBe("CANCELLED")
          return b
        })
        expect(after.cancellation).toMatchObject({
          status: "cancelled",
          reason: "returned",
        })
        expect(standIn.cancellationsFor(claimed.offer_id)).toHaveLength(1)
        expect(await bookingOf(orderId, kept.offer_id)).toMatchObject({
          booking_status: "CONFIRMED",
          cancellation: null,
        })
        expect(standIn.cancellationsFor(kept.offer_id)).toHaveLength(0)
      })
    })

    describe("the reconciler", () => {
      const coverLineOf = async (orderId: string) =>
        (await new Merchant(api, admin).lines(orderId)).find(
          (l) => !l.variant_id
        ) as OrderLine

      it("cancels the policy of a cover line an order edit removes, at once (order-edit.confirmed)", async () => {
        const { orderId, offer } = await bookedOrder()
        await new Merchant(api, admin).editQuantities(orderId, {
          [(await coverLineOf(orderId)).id]: 0,
        })
        await expectCancelled(orderId, offer.offer_id, "order_edited")
      })

      it("finds, at its daily full pass, a cancelled order no change shows (the cursor already passed it), and counts it in its figures", async () => {
        const { orderId, offer } = await bookedOrder()
        // A run (this one or the schedule's) creates the cursors; the full pass finds nothing to repair.
        await runXcoverOutboxJob(getContainer())
        await getContainer().resolve(Modules.ORDER).cancel(orderId)
        // The change pass has moved past the order already; the last full pass was a day ago.
        await dbConnection.raw(
          `UPDATE xcover_recovery_cursor SET after_created_at = now() + interval '1 minute' WHERE name = 'changed_orders'`
        )
        await dbConnection.raw(
          `UPDATE xcover_recovery_cursor SET completed_at = now() - interval '25 hours', after_id = '' WHERE name = 'full_pass'`
        )

        await eventually(async () => {
          await runXcoverOutboxJob(getContainer())
          expect((await bookingsOf(orderId))[0].booking_status).toBe(
            "CANCELLED"
          )
        })
        expect((await bookingsOf(orderId))[0].cancellation).toMatchObject({
          status: "cancelled",
          reason: "order_canceled",
        })
        expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
        const { data } = await api.get("/admin/xcover/reconciler", admin)
        expect(data.reconciler.figures.repaired.order_canceled).toBe(1)
        expect(data.reconciler.figures.orders_checked).toBeGreaterThanOrEqual(1)
        expect(
          new Date(data.reconciler.last_full_pass_at).getTime()
        ).toBeGreaterThan(Date.now() - 60_000)
      })

      it("reconciles one order now from the admin, answering what it found and did; a second time finds nothing", async () => {
        const { orderId, offer } = await bookedOrder()
        await getContainer().resolve(Modules.ORDER).cancel(orderId)
        const first = await api.post(
          `/admin/xcover/orders/${orderId}/reconcile`,
          {},
          admin
        )
        expect(first.data.reconciliation).toEqual({
          orders_checked: 1,
          decided: [],
          repaired: [
            {
              order_id: orderId,
              offer_id: offer.offer_id,
              reason: "order_canceled",
            },
          ],
          failed: [],
        })
        await eventually(async () =>
          expect((await bookingsOf(orderId))[0].booking_status).toBe(
            "CANCELLED"
          )
        )
        const second = await api.post(
          `/admin/xcover/orders/${orderId}/reconcile`,
          {},
          admin
        )
        expect(second.data.reconciliation.repaired).toEqual([])
        expect(second.data.bookings[0]).toMatchObject({
          booking_status: "CANCELLED",
        })
        expect(standIn.cancellationsFor(offer.offer_id)).toHaveLength(1)
        expect(
          (
            await answer(
              api.post(
                `/admin/xcover/orders/order_missing/reconcile`,
                {},
                admin
              )
            )
          ).status
        ).toBe(404)
      })
    })

    describe("webhooks", () => {
      it("applies a signed BOOKING_CANCELLED; a replay changes nothing; BOOKING_UPDATED does not revive it", async () => {
        const { orderId, booking } = await bookedOrder()
        standIn.cancelAtXcover(booking.booking_id!)
        const payload = standIn.bookingPayload(booking.booking_id!)
        const first = await standIn.sendWebhook(
          hookUrl(),
          "BOOKING_CANCELLED",
          payload
        )
        expect(first.status).toBe(200)
        // Kept at once; applied from XCover's own answer once read back.
        const cancelled = await eventually(async () => {
          const [b] = await bookingsOf(orderId)
          expect(b).toMatchObject({ booking_status: "CANCELLED" })
          return b
        })
        expect(cancelled.cancelled_at).not.toBeNull()
        const history = await xcover().listBookingEvents(booking.id)
        expect(history.map((e) => e.event)).toEqual(["BOOKING_CANCELLED"])

        expect(
          (await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload))
            .status
        ).toBe(200)
        expect(await xcover().listBookingEvents(booking.id)).toHaveLength(1)

        const revived = await standIn.sendWebhook(
          hookUrl(),
          "BOOKING_UPDATED",
          { ...payload, status: "CONFIRMED", total_price: 999 }
        )
        expect(revived.status).toBe(200)
        expect((await bookingsOf(orderId))[0]).toMatchObject({
          booking_status: "CANCELLED",
          total_price: booking.total_price,
        })
        // A cancelled order later asks for nothing: XCover already cancelled it.
        await api.post(`/admin/orders/${orderId}/cancel`, {}, admin)
        await eventually(async () =>
          expect(await xcover().listBookingEvents(booking.id)).toHaveLength(2)
        )
        expect(
          standIn.received.filter(
            (r) => r.route === "cancel" || r.route === "confirm_cancellation"
          )
        ).toHaveLength(0)
      })

      it("takes the booking's state from XCover itself on BOOKING_UPDATED, not from the body", async () => {
        const { orderId, booking } = await bookedOrder()
        standIn.updateBooking(booking.booking_id!, { total_price: 12.34 })
        const payload = standIn.bookingPayload(booking.booking_id!)
        expect(
          (await standIn.sendWebhook(hookUrl(), "BOOKING_UPDATED", payload))
            .status
        ).toBe(200)
        // XCover's other price is kept as reported, next to the price booked (which stays).
        await eventually(async () =>
          expect((await bookingsOf(orderId))[0]).toMatchObject({
            booking_status: "CONFIRMED",
            total_price: booking.total_price,
            reported: { differs: ["price"], total_price: 12.34 },
          })
        )
        expect(
          standIn.received
            .filter((r) => r.route === "get_booking")
            .map((r) => r.bookingId)
        ).toEqual([booking.booking_id])
      })

      it("does not cancel on a signed but false BOOKING_CANCELLED (XCover says the policy stands)", async () => {
        const { orderId, booking } = await bookedOrder()
        const forged = {
          ...standIn.bookingPayload(booking.booking_id!),
          status: "CANCELLED",
        }
        expect(
          (await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", forged))
            .status
        ).toBe(200)
        await eventually(() =>
          expect(
            standIn.received.filter(
              (r) => r.route === "get_booking" && r.answer === 200
            )
          ).toHaveLength(1)
        )
        await eventually(async () =>
          expect(
            (
              await dbConnection.raw(
                `SELECT read_at FROM xcover_readback WHERE order_id = ?`,
                [orderId]
              )
            ).rows[0].read_at
          ).not.toBeNull()
        )
        expect((await bookingsOf(orderId))[0]).toMatchObject({
          booking_status: "CONFIRMED",
          cancelled_at: null,
        })
      })

      it("keeps a webhook while XCover cannot be read (answered 200, XCover's three retries too), and shows the cancellation once XCover is readable, with no further webhook", async () => {
        const cancelled: Record<string, unknown>[] = []
        getContainer()
          .resolve(Modules.EVENT_BUS)
          .subscribe(
            "xcover.booking.cancelled",
            async (e) => void cancelled.push(e.data as Record<string, unknown>),
            { subscriberId: `t-wh-${Date.now()}` }
          )
        const { orderId, booking } = await bookedOrder()
        standIn.cancelAtXcover(booking.booking_id!)
        standIn.scriptNext(
          { status: 503 },
          { status: 503 },
          { status: 503 },
          { status: 503 }
        )
        const payload = standIn.bookingPayload(booking.booking_id!)
        // XCover's webhook and its three retries: each kept (once) and answered 200.
        for (let i = 0; i < 4; i++) {
          expect(
            (await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload))
              .status
          ).toBe(200)
        }
        expect(await xcover().listBookingEvents(booking.id)).toHaveLength(1)
        const after = await eventually(
          async () => {
            const [b] = await bookingsOf(orderId)
            expect(b.booking_status).toBe("CANCELLED")
            return b
          },
          { timeoutMs: 30_000 }
        )
        const reads = standIn.received
          .filter((r) => r.route === "get_booking")
          .map((r) => r.answer)
        expect(reads.slice(0, 4)).toEqual([503, 503, 503, 503])
        expect(reads[reads.length - 1]).toBe(200)
        expect(after.cancelled_at).not.toBeNull()
        await eventually(() =>
          expect(cancelled).toEqual([
            expect.objectContaining({
              order_id: orderId,
              booking_id: booking.booking_id,
              reason: "xcover",
            }),
          ])
        )
        // The store asks XCover for no cancellation of its own.
        expect(
          standIn.received.filter(
            (r) => r.route === "cancel" || r.route === "confirm_cancellation"
          )
        ).toHaveLength(0)
      })

      it("finds a policy cancelled at XCover with no webhook at all, at its scheduled read-back", async () => {
        const { orderId, booking } = await bookedOrder()
        standIn.cancelAtXcover(booking.booking_id!)
        // Booking scheduled the first read-back a day later: the day passes.
        const [row] = (
          await dbConnection.raw(
            `SELECT next_attempt_at FROM xcover_readback WHERE order_id = ?`,
            [orderId]
          )
        ).rows
        expect(new Date(row.next_attempt_at).getTime()).toBeGreaterThan(
          Date.now() + 23 * 3_600_000
        )
        await dbConnection.raw(
          `UPDATE xcover_readback SET next_attempt_at = now() WHERE order_id = ?`,
          [orderId]
        )
        await runXcoverOutboxJob(getContainer())
        await eventually(async () =>
          expect((await bookingsOf(orderId))[0].booking_status).toBe(
            "CANCELLED"
          )
        )
        // Cancelled: nothing more to read.
        const [done] = (
          await dbConnection.raw(
            `SELECT status, next_attempt_at FROM xcover_readback WHERE order_id = ?`,
            [orderId]
          )
        ).rows
        expect(done).toMatchObject({ status: "done", next_attempt_at: null })
      })

      it("refuses a bad signature, another key, a stale Date and an oversized body, changing nothing", async () => {
        const { orderId, booking } = await bookedOrder()
        const payload = {
          ...standIn.bookingPayload(booking.booking_id!),
          status: "CANCELLED",
        }
        const refused = [
          await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload, {
            tamper: true,
          }),
          await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload, {
            apiKey: "someone-else",
            apiSecret: "their-secret",
          }),
          await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload, {
            apiSecret: "wrong-secret",
          }),
          await standIn.sendWebhook(hookUrl(), "BOOKING_CANCELLED", payload, {
            date: new Date(Date.now() - 6 * 60_000),
          }),
        ]
        expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401])
        const huge = await standIn.sendWebhook(
          hookUrl(),
          "BOOKING_CANCELLED",
          payload,
          {
            body: JSON.stringify({
              event: "BOOKING_CANCELLED",
              payload: { ...payload, padding: "x".repeat(70 * 1024) },
            }),
          }
        )
        expect(huge.status).toBe(413)
        expect((await bookingsOf(orderId))[0]).toMatchObject({
          booking_status: "CONFIRMED",
          cancelled_at: null,
        })
        expect(await xcover().listBookingEvents(booking.id)).toEqual([])
        for (const r of [...refused, huge]) {
          expect(r.body).not.toContain("sup3r")
        }
      })

      it("answers 200 for a booking it does not know", async () => {
        const res = await standIn.sendWebhook(hookUrl(), "BOOKING_UPDATED", {
          id: "ZZZZZ-ZZZZZ-INS",
          status: "CONFIRMED",
          partner_transaction_id: "order_unknown",
        })
        expect(res.status).toBe(200)
      })
    })
  },
})
