// One request and its answer: the `Exchange` every route handler works on, and `answer`, the one
// place a JSON answer (or a lost one, `bookThen`) is written and recorded.
import type { IncomingMessage, ServerResponse } from "node:http"
import type { Refused } from "./errors"
import { hangOrReset } from "./faults"
import type { StandInState } from "./state"
import type { ReceivedRequest } from "./types"

/** A request being answered, with the stand-in's state it answers from. */
export type Exchange = {
  readonly state: StandInState
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** What `received` keeps of this request, filled in as it is answered. */
  readonly record: ReceivedRequest
  /** Set by `bookThen`: the answer to lose (destroy the socket, or never answer) once the work is done. */
  loseAnswer: "reset" | "hang" | null
}

/**
 * Answers with this status and JSON body (none for 204 or an undefined body), the stand-in's
 * `Date` first among the headers, and records status and reason; or, after `bookThen`, loses the
 * answer instead and records what it would have been.
 */
export function answer(
  ex: Exchange,
  status: number,
  body: unknown,
  reason: string | null,
  headers: Record<string, string> = {}
): void {
  const { res, record } = ex
  const lost = ex.loseAnswer
  if (lost) {
    record.reason = `answered ${status}${reason ? ` (${reason})` : ""}, answer lost (bookThen)`
    hangOrReset(ex, lost === "hang" ? { hang: true } : { reset: true })
    return
  }
  record.answer = status
  record.reason = reason
  headers = {
    date: new Date(ex.state.now()).toUTCString(),
    ...headers,
  }
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers).end()
    return
  }
  res
    .writeHead(status, { "content-type": "application/json", ...headers })
    .end(JSON.stringify(body))
}

/** Answers a refusal: its status, body and reason. */
export function answerRefused(
  ex: Exchange,
  refusal: Refused,
  headers?: Record<string, string>
): void {
  return answer(ex, refusal.status, refusal.body, refusal.reason, headers)
}
