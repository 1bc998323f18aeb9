// Scripted answers: what a test queues for the next requests (`scriptNext`), for one offer's
// requests (`script`), or as opt-out's default (`setDefault`); and `playScripted`, the one place
// the routes that do their work unless told otherwise carry out their scripted behaviour.
import { defaultErrorBody } from "./errors"
import { answer, type Exchange } from "./exchange"
import { hangOrReset } from "./faults"
import type { Behaviour } from "./types"

/** The answers tests have queued. */
export class ScriptedAnswers {
  /** Each offer's next answers (opt-out, Confirm Offer, and the cancel routes of its booking). */
  private readonly perOffer = new Map<string, Behaviour[]>()
  /** Answers for the next signed requests whatever their offer, before per-offer scripts. */
  private readonly next: Behaviour[] = []
  /** What opt-out answers when nothing is scripted. */
  defaultBehaviour: Behaviour = { status: 204 }

  forOffer(offerId: string, behaviours: Behaviour[]): void {
    this.perOffer.set(offerId, [
      ...(this.perOffer.get(offerId) ?? []),
      ...behaviours,
    ])
  }

  forNext(behaviours: Behaviour[]): void {
    this.next.push(...behaviours)
  }

  /**
   * The next scripted behaviour, taken off its queue: the next `scriptNext` answer, else the
   * offer's next one (none for a null offer), else null.
   */
  take(offerId: string | null): Behaviour | null {
    const queue = this.next.length
      ? this.next
      : offerId !== null
        ? this.perOffer.get(offerId)
        : undefined
    return queue?.shift() ?? null
  }

  reset(): void {
    this.perOffer.clear()
    this.next.length = 0
    this.defaultBehaviour = { status: 204 }
  }
}

/** The status and headers of a route's usual answer, as its scripted behaviour leaves them. */
export type UsualAnswer = {
  status: number
  headers: Record<string, string> | undefined
}

/** Writes an answer: `answer`, or a route's own (Confirm Offer keeps it for the key's repeats). */
export type Reply = (
  status: number,
  body: unknown,
  reason: string | null,
  headers?: Record<string, string>
) => void

/** A scripted status's body: the one given, else none for 204, else `defaultErrorBody`. */
export function scriptedBody(
  behaviour: Extract<Behaviour, { status: number }>
): unknown {
  return (
    behaviour.body ??
    (behaviour.status === 204 ? undefined : defaultErrorBody(behaviour.status))
  )
}

/**
 * Carries out the next scripted behaviour of a route that does its work as usual unless told
 * otherwise (Create Offer, Confirm Offer, Get Booking, Cancel Booking, Confirm Cancellation):
 * `scriptNext`'s, then (given `offerId`) the offer's script. A hang, reset or trickle, or a status
 * with a body or not 2xx, is answered here as given (through `reply`) and changes nothing: null.
 * Otherwise the route does its work and answers with the status and headers returned (200 and
 * none when nothing is scripted); after `bookThen` that answer will be lost.
 */
export function playScripted(
  ex: Exchange,
  offerId: string | null,
  reply: Reply = (status, body, reason, headers) =>
    answer(ex, status, body, reason, headers)
): UsualAnswer | null {
  const scripted = ex.state.scripted.take(offerId)
  if (scripted && hangOrReset(ex, scripted)) {
    return null
  }
  if (scripted && "bookThen" in scripted) {
    ex.loseAnswer = scripted.bookThen
  }
  if (
    scripted &&
    "status" in scripted &&
    (scripted.body !== undefined ||
      scripted.status < 200 ||
      scripted.status >= 300)
  ) {
    reply(scripted.status, scriptedBody(scripted), null, scripted.headers)
    return null
  }
  return scripted && "status" in scripted
    ? { status: scripted.status, headers: scripted.headers }
    : { status: 200, headers: undefined }
}
