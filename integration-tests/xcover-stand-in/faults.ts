// The scripted faults that are not a status: a hang, a reset, and a trickled answer (no capture:
// faults to test the client's deadlines and retries).
import type { Exchange } from "./exchange"
import type { Behaviour } from "./types"

/** Carries out a hang or reset behaviour (true), or leaves a status behaviour to the caller (false). */
export function hangOrReset(
  ex: Exchange,
  behaviour: Behaviour
): behaviour is Extract<
  Behaviour,
  { hang: true } | { reset: true } | { trickle: unknown }
> {
  const { req, res, record } = ex
  if ("trickle" in behaviour) {
    const { status, headersAfterMs, bodyMs } = behaviour.trickle
    record.answer = status
    keepOpen(ex)
    const body = JSON.stringify({ type: "slow", message: "x".repeat(20) })
    setTimeout(() => {
      if (res.destroyed) {
        return
      }
      res.writeHead(status, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(body)),
      })
      let sent = 0
      const step = setInterval(
        () => {
          if (res.destroyed || sent >= body.length) {
            clearInterval(step)
            if (!res.destroyed) {
              res.end()
            }
            return
          }
          res.write(body[sent++])
        },
        Math.max(1, Math.floor(bodyMs / body.length))
      )
    }, headersAfterMs)
    return true
  }
  if ("hang" in behaviour) {
    record.answer = "hang"
    keepOpen(ex)
    return true
  }
  if ("reset" in behaviour) {
    record.answer = "reset"
    req.socket.destroy()
    return true
  }
  return false
}

/** Holds the answer open (`stop` drops it), and records when the client closed its connection. */
function keepOpen({ state, res, record }: Exchange): void {
  state.hanging.add(res)
  res.on("close", () => {
    record.closedAt = Date.now()
    state.hanging.delete(res)
  })
}
