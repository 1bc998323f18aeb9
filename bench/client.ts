// Benchmark 4: opt-out calls per second through the plugin's XcoverClient vs. a bare undici
// request loop against the same stand-in: the most this machine can do with this stand-in.
import { createHmac } from "node:crypto"
import { Pool } from "undici"
import {
  XcoverClient,
  type XcoverCallSettings,
} from "../src/modules/xcover/client/xcover-client"
import { median, round } from "./stats"
import type { StandInProcess } from "./stand-in-process"
import { runPool } from "./workers"

/** In flight at once, for both; also the client's pool size, so both may open as many sockets. */
const CONCURRENCY = 16
// Rounds are short (a fraction of a second each): enough of them that one hiccup of a busy
// machine cannot move the median.
const ROUNDS = 9
const TIMEOUT_MS = 10_000

export type ClientResult = {
  calls_per_round: number
  rounds: number
  concurrency: number
  xcover_client_calls_per_s: number | null
  bare_undici_calls_per_s: number | null
  ratio: number | null
  /** Connections opened over all rounds, warm-up included (each side keeps one keep-alive pool), per 1,000 calls. */
  connections_per_1000_calls: {
    xcover_client: number | null
    bare_undici: number | null
  }
  non_204_answers: number
}

export async function benchClient(
  standIn: StandInProcess,
  settings: XcoverCallSettings,
  calls: number
): Promise<ClientResult> {
  const client = new XcoverClient({
    timeoutMs: TIMEOUT_MS,
    connections: CONCURRENCY,
  })
  // The pool the client makes for itself: same connections, keep-alive and timeouts.
  const bare = new Pool(new URL(settings.baseUrl).origin, {
    connections: CONCURRENCY,
    keepAliveTimeout: 30_000,
    connectTimeout: TIMEOUT_MS,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  })
  const rates = { client: [] as number[], bare: [] as number[] }
  // Client ports seen so far: a port not seen before is a connection opened in this round.
  const ports = {
    client: new Set<number | null>(),
    bare: new Set<number | null>(),
  }
  let non204 = 0
  try {
    // Round -1 warms both up (JIT, connections) and is not counted: a cold first round would
    // otherwise weigh on whichever runs first.
    for (let round = -1; round < ROUNDS; round++) {
      // Alternating, and which goes first rotates, so drift on a noisy machine hits both alike.
      const order =
        round % 2 === 0
          ? (["client", "bare"] as const)
          : (["bare", "client"] as const)
      for (const kind of order) {
        await standIn.reset()
        const started = performance.now()
        if (kind === "client") {
          await runPool(calls, CONCURRENCY, async (i) => {
            await client.optOut({
              settings,
              offerId: `cl-${round}-${i}`,
              idempotencyKey: `cl-${round}-${i}`,
            })
          })
        } else {
          const headers = bareHeaders(settings)
          const prefix = new URL(settings.baseUrl).pathname.replace(/\/+$/, "")
          await runPool(calls, CONCURRENCY, async (i) => {
            const res = await bare.request({
              method: "POST",
              path: `${prefix}/partners/${settings.partnerCode}/offers/bare-${round}-${i}/opt_out/`,
              headers: {
                ...headers,
                "x-idempotency-key": `bare-${round}-${i}`,
              },
              body: "{}",
            })
            await res.body.dump()
          })
        }
        const seconds = (performance.now() - started) / 1000
        const arrivals = await standIn.received()
        for (const a of arrivals) {
          ports[kind].add(a.remotePort)
        }
        non204 += arrivals.filter((a) => a.answer !== 204).length
        if (round >= 0) {
          rates[kind].push(calls / seconds)
        }
      }
    }
  } finally {
    await client.close()
    await bare.close()
  }
  const clientRate = median(rates.client)
  const bareRate = median(rates.bare)
  return {
    calls_per_round: calls,
    rounds: ROUNDS,
    concurrency: CONCURRENCY,
    xcover_client_calls_per_s: round(clientRate, 0),
    bare_undici_calls_per_s: round(bareRate, 0),
    ratio: round(clientRate / bareRate, 2),
    connections_per_1000_calls: {
      xcover_client: round(
        (ports.client.size / (calls * (ROUNDS + 1))) * 1000,
        1
      ),
      bare_undici: round((ports.bare.size / (calls * (ROUNDS + 1))) * 1000, 1),
    },
    non_204_answers: non204,
  }
}

/**
 * Headers signed once for the whole round: the least work a correct caller can do (the stand-in
 * accepts a Date up to 5 minutes old). The plugin signs each request afresh, as XCover requires.
 * The same headers as the client's, so both send the same bytes.
 */
function bareHeaders(settings: XcoverCallSettings): Record<string, string> {
  const date = new Date().toUTCString()
  const signature = encodeURIComponent(
    createHmac("sha512", settings.apiSecret)
      .update(`date: ${date}`)
      .digest("base64")
  )
  return {
    date,
    "x-api-key": settings.apiKey,
    authorization: `Signature keyId="${settings.apiKey}",algorithm="hmac-sha512",signature="${signature}"`,
    "content-type": "application/json",
    accept: "application/json",
  }
}
