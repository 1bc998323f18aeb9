// The XCover stand-in in a process of its own, so that in the benchmarks it does not share an
// event loop (or a core) with the code being measured. The parent talks to it over IPC.
import { fork, type ChildProcess } from "node:child_process"
import {
  XcoverStandIn,
  type Behaviour,
  type StandInOptions,
  type StandInRoute,
} from "../integration-tests/xcover-stand-in/server"

/** What the benchmarks need of each request the stand-in received. */
export type Arrival = {
  /**
   * "opt_out", "create_offer", "confirm", "get_booking", "cancel", "confirm_cancellation", or null
   * for a path the stand-in does not serve.
   */
  route: StandInRoute | null
  offerId: string | null
  /** Create Offer only: the id of the offer the stand-in answered (200), else null. */
  createdOfferId: string | null
  at: number
  answer: number | string
  remotePort: number | null
  apiKey: string | null
  /** The stand-in's own time for the request (arrival to the answer's end), ms; null if unanswered. */
  handledMs: number | null
  /**
   * A hanging or trickling request (`hang`, `trickle`): when its connection closed (the answer
   * ended, or the client gave up); null while it is still open, and for every other answer.
   */
  closedAt: number | null
}

type Request =
  | { id: number; cmd: "received" | "reset" | "createdOfferCount" }
  | { id: number; cmd: "scriptNext"; behaviours: Behaviour[] }
  | { id: number; cmd: "script"; offerId: string; behaviours: Behaviour[] }
  | { id: number; cmd: "refuseCover"; skus: string[] }
  | { id: number; cmd: "setPlans"; configIds: string[] }
  | {
      id: number
      cmd: "knowOffer"
      offerId: string
      quotes: { id: string; price: number; product_config_id?: string }[]
      currency?: string
    }
  | { id: number; cmd: "knowOffers"; offers: KnownOffer[] }
  | { id: number; cmd: "requirePhone"; required: boolean }
  | { id: number; cmd: "holdConfirms"; ms: number }
  | { id: number; cmd: "bookedPriceDelta"; delta: number }
  | { id: number; cmd: "bookings" }
  | { id: number; cmd: "setRefundRatio"; ratio: number | null }
  | { id: number; cmd: "cancellations" }
  | { id: number; cmd: "plantBookings"; offers: KnownOffer[] }
  | { id: number; cmd: "cancelAtXcover"; bookingIds: string[] }

/** An offer Confirm Offer is to accept as if it had created it (`XcoverStandIn.knowOffer`). */
export type KnownOffer = {
  offerId: string
  quotes: { id: string; price: number; product_config_id?: string }[]
  currency?: string
}

/** What the benchmarks need of each booking the stand-in made. */
export type BookingSummary = {
  offerId: string
  bookingId: string
  total_price: number
}

/** A request that changed a booking to CANCELLED (`XcoverStandIn.cancellationsFor`, of every offer). */
export type CancellationSummary = { offerId: string; bookingId: string }

type Reply = {
  id: number
  arrivals?: Arrival[]
  count?: number
  bookings?: BookingSummary[]
  cancellations?: CancellationSummary[]
  error?: string
}

export class StandInProcess {
  private nextId = 0
  private readonly waiting = new Map<number, (reply: Reply) => void>()

  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string
  ) {
    child.on("message", (msg: Reply) => {
      // A reply with an error still settles the call; `ask` turns it into a rejection.
      this.waiting.get(msg.id)?.(msg)
      this.waiting.delete(msg.id)
    })
  }

  static async start(options: StandInOptions): Promise<StandInProcess> {
    const child = fork(__filename, [], {
      execArgv: ["-r", "ts-node/register"],
      env: { ...process.env, XCOVER_STAND_IN_OPTIONS: JSON.stringify(options) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.once("message", (msg: { baseUrl: string }) => resolve(msg.baseUrl))
      child.once("exit", (code) =>
        reject(new Error(`stand-in process exited with ${code}`))
      )
    })
    return new StandInProcess(child, baseUrl)
  }

  /** Every request received since the last reset, in arrival order. */
  received(): Promise<Arrival[]> {
    return this.ask({ cmd: "received" }).then((r) => r.arrivals ?? [])
  }

  async reset(): Promise<void> {
    await this.ask({ cmd: "reset" })
  }

  /** Answers for the next signed requests, whichever offer they are for (`XcoverStandIn.scriptNext`). */
  async scriptNext(...behaviours: Behaviour[]): Promise<void> {
    await this.ask({ cmd: "scriptNext", behaviours })
  }

  /** Answers for one offer's next requests, in order (`XcoverStandIn.script`): its booking's cancellation, a `trickle` or `hang` fault too. */
  async script(offerId: string, ...behaviours: Behaviour[]): Promise<void> {
    await this.ask({ cmd: "script", offerId, behaviours })
  }

  /** Create Offer refuses cover (422 offer_quote_generation_failed) for these SKUs (`XcoverStandIn.refuseCover`). */
  async refuseCover(...skus: string[]): Promise<void> {
    await this.ask({ cmd: "refuseCover", skus })
  }

  /** Create Offer quotes only these plans until reset (`XcoverStandIn.setPlans`). */
  async setPlans(configIds: string[]): Promise<void> {
    await this.ask({ cmd: "setPlans", configIds })
  }

  /** Confirm Offer accepts this offer until reset (`XcoverStandIn.knowOffer`). */
  async knowOffer(
    offerId: string,
    quotes: { id: string; price: number; product_config_id?: string }[],
    currency?: string
  ): Promise<void> {
    await this.ask({ cmd: "knowOffer", offerId, quotes, currency })
  }

  /** Many offers at once (one message, not one per offer), as `knowOffer`. */
  async knowOffers(offers: KnownOffer[]): Promise<void> {
    await this.ask({ cmd: "knowOffers", offers })
  }

  /** Confirm Offer requires `policyholder.phone` too (`XcoverStandIn.requirePhone`). */
  async requirePhone(required: boolean): Promise<void> {
    await this.ask({ cmd: "requirePhone", required })
  }

  /** Confirm Offer takes this long to process (`XcoverStandIn.holdConfirms`). */
  async holdConfirms(ms: number): Promise<void> {
    await this.ask({ cmd: "holdConfirms", ms })
  }

  /** Later bookings' total_price is this much more than the quotes' (`XcoverStandIn.bookedPriceDelta`). */
  async bookedPriceDelta(delta: number): Promise<void> {
    await this.ask({ cmd: "bookedPriceDelta", delta })
  }

  /** The bookings Confirm Offer made since the last reset (`XcoverStandIn.bookings`). */
  bookings(): Promise<BookingSummary[]> {
    return this.ask({ cmd: "bookings" }).then((r) => r.bookings ?? [])
  }

  /** Cancellations refund this share of each quote's price until reset; null: all (`XcoverStandIn.setRefundRatio`). */
  async setRefundRatio(ratio: number | null): Promise<void> {
    await this.ask({ cmd: "setRefundRatio", ratio })
  }

  /**
   * The requests that changed a booking to CANCELLED since the last reset, in arrival order
   * (`ReceivedRequest.cancelled`): an offer twice is a booking cancelled twice.
   */
  cancellations(): Promise<CancellationSummary[]> {
    return this.ask({ cmd: "cancellations" }).then((r) => r.cancellations ?? [])
  }

  /** Bookings made without a request, one per offer (`XcoverStandIn.plantBooking`), in the offers' order. */
  plantBookings(offers: KnownOffer[]): Promise<BookingSummary[]> {
    return this.ask({ cmd: "plantBookings", offers }).then(
      (r) => r.bookings ?? []
    )
  }

  /** The customers cancelled these bookings at XCover, with no request from the store (`XcoverStandIn.cancelAtXcover`). */
  async cancelAtXcover(bookingIds: string[]): Promise<void> {
    await this.ask({ cmd: "cancelAtXcover", bookingIds })
  }

  /** How many offers Create Offer answered since the last reset (`XcoverStandIn.createdOffers.size`). */
  createdOfferCount(): Promise<number> {
    return this.ask({ cmd: "createdOfferCount" }).then((r) => r.count ?? 0)
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const gone = new Promise((resolve) => this.child.once("exit", resolve))
      this.child.kill("SIGTERM")
      await gone
    }
  }

  private ask(request: DistributiveOmit<Request, "id">): Promise<Reply> {
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (reply) =>
        reply.error === undefined
          ? resolve(reply)
          : reject(new Error(reply.error))
      )
      this.child.send({ ...request, id } as Request)
    })
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown
  ? Omit<T, K>
  : never

async function runChild(): Promise<void> {
  const standIn = await new XcoverStandIn(
    JSON.parse(process.env.XCOVER_STAND_IN_OPTIONS ?? "{}")
  ).start(0)
  const answer = (msg: Request): Reply => {
    switch (msg.cmd) {
      case "reset":
        standIn.reset()
        return { id: msg.id }
      case "scriptNext":
        standIn.scriptNext(...msg.behaviours)
        return { id: msg.id }
      case "script":
        standIn.script(msg.offerId, ...msg.behaviours)
        return { id: msg.id }
      case "refuseCover":
        standIn.refuseCover(...msg.skus)
        return { id: msg.id }
      case "setPlans":
        standIn.setPlans(msg.configIds)
        return { id: msg.id }
      case "createdOfferCount":
        return { id: msg.id, count: standIn.createdOffers.size }
      case "knowOffer":
        standIn.knowOffer(msg.offerId, msg.quotes, msg.currency)
        return { id: msg.id }
      case "knowOffers":
        for (const offer of msg.offers) {
          standIn.knowOffer(offer.offerId, offer.quotes, offer.currency)
        }
        return { id: msg.id }
      case "requirePhone":
        standIn.requirePhone(msg.required)
        return { id: msg.id }
      case "holdConfirms":
        standIn.holdConfirms(msg.ms)
        return { id: msg.id }
      case "bookedPriceDelta":
        standIn.bookedPriceDelta(msg.delta)
        return { id: msg.id }
      case "bookings": {
        const bookings = [...standIn.bookings.values()].map((b) => ({
          offerId: b.fast_quote_id,
          bookingId: b.id,
          total_price: b.total_price,
        }))
        return { id: msg.id, bookings }
      }
      case "setRefundRatio":
        standIn.setRefundRatio(msg.ratio)
        return { id: msg.id }
      case "cancellations": {
        const cancellations = standIn.received
          .filter((r) => r.cancelled)
          .map((r) => ({
            offerId: r.offerId as string,
            bookingId: r.bookingId as string,
          }))
        return { id: msg.id, cancellations }
      }
      case "plantBookings": {
        const bookings = msg.offers.map((o) =>
          standIn.plantBooking(o.offerId, o.quotes, o.currency)
        )
        return {
          id: msg.id,
          bookings: bookings.map((b) => ({
            offerId: b.fast_quote_id,
            bookingId: b.id,
            total_price: b.total_price,
          })),
        }
      }
      case "cancelAtXcover":
        msg.bookingIds.forEach((id) => standIn.cancelAtXcover(id))
        return { id: msg.id }
      case "received": {
        const arrivals = standIn.received.map((r) => ({
          route: r.route,
          offerId: r.offerId,
          createdOfferId: r.createdOfferId,
          at: r.at,
          answer: r.answer,
          remotePort: r.remotePort,
          apiKey: r.apiKey,
          handledMs: r.handledMs,
          closedAt: r.closedAt,
        }))
        return { id: msg.id, arrivals }
      }
    }
  }
  process.on("message", (msg: Request) => {
    let reply: Reply
    try {
      reply = answer(msg)
    } catch (err) {
      reply = {
        id: msg.id,
        error: err instanceof Error ? err.message : String(err),
      }
    }
    process.send?.(reply)
  })
  process.on("SIGTERM", () => void standIn.stop().then(() => process.exit(0)))
  process.on(
    "disconnect",
    () => void standIn.stop().then(() => process.exit(0))
  )
  process.send?.({ baseUrl: standIn.baseUrl })
}

if (require.main === module) {
  void runChild()
}
