// Opt-out (`POST offers/{offer}/opt_out/`): answers 204 without a body (opt-out-fresh), or what
// is scripted for the offer, or `setDefault`'s answer.
import { answer, answerRefused, type Exchange } from "../exchange"
import { hangOrReset } from "../faults"
import { readBodyFields } from "../request-body"
import { scriptedBody } from "../scripted"

/**
 * Opt-out, once signature and partner are checked: the body, a repeated key, then the scripted
 * behaviour (`scriptNext`, the offer's script, else the default), answered as given: a 2xx
 * without a body is not "as usual" here, it is that status.
 */
export function handleOptOut(ex: Exchange, offerId: string, raw: string): void {
  const { state, record } = ex
  // Opt-out's body: `{}` (opt-out-fresh) or empty; `partner_metadata` alone besides (shared/xcover-api.md).
  const checked = readBodyFields(ex.req, raw, {
    allowEmpty: true,
    fields: ["partner_metadata"],
  })
  if (!checked.ok) {
    return answerRefused(ex, checked)
  }

  const key = record.idempotencyKey
  if (key && state.answeredOptOutKeys.has(key)) {
    // Guess: no capture of a repeated opt-out key; the plugin counts any 409 as opted out.
    return answer(
      ex,
      409,
      { type: "conflict", message: "Request already processed" },
      "idempotent replay"
    )
  }

  let behaviour =
    state.scripted.take(offerId) ?? state.scripted.defaultBehaviour
  if ("bookThen" in behaviour) {
    // The opt-out is accepted (its key kept), then the answer lost.
    ex.loseAnswer = behaviour.bookThen
    behaviour = { status: 204 }
  }
  if (hangOrReset(ex, behaviour)) {
    return
  }
  if (behaviour.status >= 200 && behaviour.status < 300 && key) {
    state.answeredOptOutKeys.set(key, behaviour.status)
  }
  return answer(
    ex,
    behaviour.status,
    scriptedBody(behaviour),
    null,
    behaviour.headers
  )
}
