import { createHmac, randomUUID } from "node:crypto"
import { readdirSync, readFileSync } from "node:fs"
import { request } from "node:http"
import path from "node:path"
import { XcoverStandIn } from "../xcover-stand-in/server"

/**
 * Replays every live capture in `captures/` against the stand-in and checks each answer against
 * the capture: the status; for each field the plugin reads, the same JSON kind; XCover's constants
 * (statuses, error types, codes, refusal messages and reasons with ids left out); the number of
 * quotes. Captures that depend on state (a booking, a preview, an idempotency key) run as
 * scenarios with the stand-in's own ids in place of the captured ones. A capture no scenario
 * replays fails the last test.
 */

type CapturedRequest = {
  method: string
  path: string
  query: string | null
  idempotency_key: string | null
  body: unknown
}
type Capture = {
  capture: string
  call: string
  request: CapturedRequest | null
  status: number
  response: any
}
type Answer = { status: number; text: string; body: any }
type Send = {
  method?: string
  path: string
  query?: string | null
  idempotencyKey?: string | null
  body?: unknown
  raw?: string
  secret?: string
}

const DIR = path.join(__dirname, "captures")
const NAMES = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""))
  .sort()
const capture = (name: string): Capture =>
  JSON.parse(readFileSync(path.join(DIR, `${name}.json`), "utf8"))

const CREDENTIALS = {
  partnerCode: "E3CCM",
  apiKey: "contract-key",
  apiSecret: "contract/secret+=",
}
const standIn = new XcoverStandIn(CREDENTIALS)
const replayed = new Set<string>()

beforeAll(() => standIn.start(0))
afterAll(() => standIn.stop())
beforeEach(() => standIn.reset())

/** Signs as `shared/xcover-api.md` says (hmac-sha512 over `date: <Date>`), independently of the plugin. */
function authHeaders(secret: string): Record<string, string> {
  const date = new Date().toUTCString()
  const signature = encodeURIComponent(
    createHmac("sha512", secret).update(`date: ${date}`).digest("base64")
  )
  return {
    date,
    "x-api-key": CREDENTIALS.apiKey,
    authorization: `Signature keyId="${CREDENTIALS.apiKey}",algorithm="hmac-sha512",signature="${signature}"`,
  }
}

/** One signed request to the stand-in; `path` is below `/partners/{partner}`, as the captures give it. */
function send(req: Send): Promise<Answer> {
  const url = new URL(
    `${standIn.baseUrl}/partners/${CREDENTIALS.partnerCode}${req.path}${req.query ? `?${req.query}` : ""}`
  )
  const payload =
    req.raw ??
    (req.body === undefined || req.body === null
      ? undefined
      : JSON.stringify(req.body))
  const headers: Record<string, string> = {
    ...authHeaders(req.secret ?? CREDENTIALS.apiSecret),
  }
  if (payload !== undefined) {
    headers["content-type"] = "application/json"
    headers["content-length"] = String(Buffer.byteLength(payload))
  }
  if (req.idempotencyKey) {
    headers["x-idempotency-key"] = req.idempotencyKey
  }
  return new Promise((resolve, reject) => {
    const r = request(
      url,
      { method: req.method ?? "POST", headers, agent: false },
      (res) => {
        const chunks: Buffer[] = []
        res.on("data", (c: Buffer) => chunks.push(c))
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8")
          let body: unknown
          try {
            body = text ? JSON.parse(text) : null
          } catch {
            body = text
          }
          resolve({ status: res.statusCode ?? 0, text, body })
        })
      }
    )
    r.on("error", reject)
    r.end(payload)
  })
}

/** The captured request as sent, with the stand-in's ids in place of captured ones (`ids`: captured → stand-in's). */
function replay(
  name: string,
  ids: Record<string, string> = {},
  overrides: Partial<Send> = {}
): Promise<Answer> {
  const req = capture(name).request
  if (!req) {
    throw new Error(`${name} has no captured request`)
  }
  const swap = (text: string) =>
    Object.entries(ids).reduce((t, [from, to]) => t.split(from).join(to), text)
  const body = req.body as { raw?: unknown } | null
  return send({
    method: req.method,
    path: swap(req.path),
    query: req.query,
    idempotencyKey: req.idempotency_key,
    ...(body && typeof body.raw === "string"
      ? { raw: body.raw }
      : {
          body:
            body === null ? undefined : JSON.parse(swap(JSON.stringify(body))),
        }),
    ...overrides,
  })
}

const OFFER_FIELDS = [
  "id",
  "currency",
  "errors",
  "products",
  "products[].id",
  "products[].product_config_id",
  "products[].details.finance.price.total_amount",
  "products[].details.finance.price.total_amount_formatted",
  "products[].details.pds_url",
  "content",
  "content.title",
  "content.heading",
  "content.positive_cta",
  "content.negative_cta",
  "content.disclaimer",
  "content.extras",
  "content.products",
  "content.products[].id",
  "content.products[].title",
  "content.products[].description",
]
const BOOKING_FIELDS = [
  "id",
  "status",
  "currency",
  "total_price",
  "total_premium",
  "total_tax",
  "partner_transaction_id",
  "fast_quote_id",
  "pds_url",
  "coi",
  "coi.url",
  "coi.pdf",
  "fnol_link",
  "cancel_link",
  "quotes",
  "quotes[].id",
  "quotes[].status",
  "quotes[].price",
  "quotes[].refund_value",
  "quotes[].adjustment_fee",
  "quotes[].policy.policy_name",
  "total_refund",
  "refund_amount",
  "cancellation_id",
  "confirm_before",
]
const ERROR_FIELDS = ["type", "message", "code", "error_id", "errors"]

const MISSING = Symbol("missing")

/** The values at a path such as `products[].details.pds_url` (`[]`: every item of that array). */
function valuesAt(value: unknown, fieldPath: string): unknown[] {
  let current: unknown[] = [value]
  for (const segment of fieldPath.split(".")) {
    const every = segment.endsWith("[]")
    const key = every ? segment.slice(0, -2) : segment
    current = current.flatMap((v) => {
      const next =
        v && typeof v === "object" && !Array.isArray(v) && key in v
          ? (v as Record<string, unknown>)[key]
          : MISSING
      return every ? (Array.isArray(next) ? next : [MISSING]) : [next]
    })
  }
  return current
}

function kindOf(v: unknown): string {
  return v === MISSING
    ? "missing"
    : v === null
      ? "null"
      : Array.isArray(v)
        ? "array"
        : typeof v
}

const kindsAt = (value: unknown, fieldPath: string): string[] =>
  [...new Set(valuesAt(value, fieldPath).map(kindOf))].sort()

/** A captured reason as a pattern: ids (UUIDs, XCover's booking and cancellation ids) stand for any. */
function reasonPattern(text: string): RegExp {
  const escaped = text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  const ids =
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[A-Za-z0-9]{5}-[A-Za-z0-9]{5}(?:-[A-Za-z0-9]{5})?-(?:INS|CCL)/g
  return new RegExp(`^${escaped.replace(ids, "\\S+")}$`)
}

/** XCover's `errors`: the same shape (array or object, the same keys), the same reasons but for ids. */
function sameErrors(
  captured: unknown,
  actual: unknown,
  at: string,
  problems: string[]
): void {
  if (kindOf(captured) !== kindOf(actual)) {
    problems.push(
      `${at}: ${kindOf(actual)} where XCover has ${kindOf(captured)}`
    )
  } else if (typeof captured === "string") {
    if (!reasonPattern(captured).test(actual as string)) {
      problems.push(
        `${at}: ${JSON.stringify(actual)} where XCover says ${JSON.stringify(captured)}`
      )
    }
  } else if (Array.isArray(captured)) {
    const items = actual as unknown[]
    if (items.length !== captured.length) {
      problems.push(
        `${at}: ${items.length} reasons where XCover gives ${captured.length}`
      )
    }
    captured.forEach(
      (c, i) =>
        i < items.length && sameErrors(c, items[i], `${at}[${i}]`, problems)
    )
  } else if (captured && typeof captured === "object") {
    const a = actual as Record<string, unknown>
    const c = captured as Record<string, unknown>
    if (
      JSON.stringify(Object.keys(a).sort()) !==
      JSON.stringify(Object.keys(c).sort())
    ) {
      problems.push(
        `${at}: keys ${Object.keys(a).sort().join(",")} where XCover has ${Object.keys(c).sort().join(",")}`
      )
    }
    for (const key of Object.keys(c)) {
      if (key in a) {
        sameErrors(c[key], a[key], `${at}.${key}`, problems)
      }
    }
  }
}

/** Refusal messages that carry a detail of the request after a constant head (err-malformed). */
const MESSAGE_HEADS = ["JSON parse error - "]

/**
 * Checks the stand-in's answer against capture `name` (the answer of its request, or of the
 * scenario's equivalent) and counts the capture as replayed.
 */
function expectAsCaptured(name: string, answer: Answer): void {
  replayed.add(name)
  const c = capture(name)
  expect({ name, status: answer.status }).toEqual({ name, status: c.status })
  if (c.response === null) {
    expect({ name, body: answer.text }).toEqual({ name, body: "" })
    return
  }
  const problems: string[] = []
  const isBooking =
    c.status < 300
      ? c.call !== "create_offer"
      : typeof c.response.id === "string"
  const fields =
    c.status >= 300 && !isBooking
      ? ERROR_FIELDS
      : c.call === "create_offer"
        ? OFFER_FIELDS
        : BOOKING_FIELDS
  for (const field of fields) {
    const captured = kindsAt(c.response, field)
    if (captured.join() === "missing") {
      continue
    }
    const actual = kindsAt(answer.body, field)
    if (actual.join() !== captured.join()) {
      problems.push(
        `${field}: ${actual.join("|")} where XCover has ${captured.join("|")}`
      )
    }
  }
  if (fields === BOOKING_FIELDS) {
    // XCover's constants: the booking's and each quote's status.
    if (answer.body?.status !== c.response.status) {
      problems.push(
        `status: ${answer.body?.status} where XCover has ${c.response.status}`
      )
    }
    const statuses = (b: any) =>
      [...new Set((b?.quotes ?? []).map((q: any) => q.status))].sort().join()
    if (statuses(answer.body) !== statuses(c.response)) {
      problems.push(
        `quotes[].status: ${statuses(answer.body)} where XCover has ${statuses(c.response)}`
      )
    }
  } else if (fields === OFFER_FIELDS) {
    // The stand-in quotes two plans, as XCover did in every capture.
    for (const list of ["products", "content.products"]) {
      const n = (b: unknown) => (valuesAt(b, list)[0] as unknown[]).length
      if (n(answer.body) !== n(c.response)) {
        problems.push(
          `${list}: ${n(answer.body)} quotes where XCover has ${n(c.response)}`
        )
      }
    }
    const ids = (b: any, list: "products" | "content") =>
      JSON.stringify(
        (list === "products" ? b.products : b.content.products).map(
          (p: any) => p.id
        )
      )
    if (ids(answer.body, "products") !== ids(answer.body, "content")) {
      problems.push("content.products[].id are not the products' ids")
    }
  } else {
    for (const field of ["type", "code"]) {
      if (field in c.response && answer.body?.[field] !== c.response[field]) {
        problems.push(
          `${field}: ${JSON.stringify(answer.body?.[field])} where XCover has ${JSON.stringify(c.response[field])}`
        )
      }
    }
    const head = MESSAGE_HEADS.find((h) => c.response.message.startsWith(h))
    const message = String(answer.body?.message)
    if (head ? !message.startsWith(head) : message !== c.response.message) {
      problems.push(
        `message: ${JSON.stringify(message)} where XCover says ${JSON.stringify(c.response.message)}`
      )
    }
    if ("errors" in c.response) {
      sameErrors(c.response.errors, answer.body?.errors, "errors", problems)
    }
  }
  expect({ name, problems }).toEqual({ name, problems: [] })
}

/** Registers the offer and quote a captured confirm names, priced and in the currency of its captured booking. */
function knowCapturedOffer(name: string): { offerId: string; quoteId: string } {
  const c = capture(name)
  const offerId = /\/offers\/([^/]+)\/confirm\//.exec(c.request!.path)![1]
  const quote = (c.request!.body as { quotes: { id: string }[] }).quotes[0]
  const price = c.response.quotes?.[0]?.price ?? 10
  standIn.knowOffer(
    offerId,
    [{ id: quote.id, price }],
    c.response.currency ?? "USD"
  )
  return { offerId, quoteId: quote.id }
}

const capturedBookingId = (name: string) =>
  /\/bookings\/([^/]+)\//.exec(`${capture(name).request!.path}/`)![1]
const getBooking = (bookingId: string) =>
  send({ method: "GET", path: `/bookings/${bookingId}/` })

/** Create Offer captures that need no state: replayed as they are. */
const STATELESS = NAMES.filter(
  (n) =>
    capture(n).call === "create_offer" &&
    !["err-bad-signature", "offer-for-optout"].includes(n)
)

describe("the stand-in answers as XCover's captures show", () => {
  it.each(STATELESS)("Create Offer: %s", async (name) => {
    expectAsCaptured(name, await replay(name))
  })

  it("Create Offer with a wrong secret: err-bad-signature (market-US's request)", async () => {
    const market = capture("market-US").request!
    const answer = await send({
      path: market.path,
      body: market.body,
      secret: "not-the-secret",
    })
    expectAsCaptured("err-bad-signature", answer)
  })

  it("Create Offer with another query is a 404 (guess)", async () => {
    const market = capture("market-US").request!
    expect(
      (
        await send({
          path: market.path,
          query: "include_content=false",
          body: market.body,
        })
      ).status
    ).toBe(404)
    expect(
      (await send({ path: market.path, query: "debug=1", body: market.body }))
        .status
    ).toBe(404)
  })

  it("Confirm Offer of an unknown offer: err-invalid-offer-id", async () => {
    expectAsCaptured(
      "err-invalid-offer-id",
      await replay("err-invalid-offer-id")
    )
  })

  it("confirm-first, confirm-repeat, app-confirm-offer; on its booking cancel-preview, cancel-confirm-1, app-cancel-booking, cancel-repeat", async () => {
    const { offerId } = knowCapturedOffer("confirm-first")
    const first = await replay("confirm-first")
    expectAsCaptured("confirm-first", first)
    expectAsCaptured("app-confirm-offer", first)
    expectAsCaptured("confirm-repeat", await replay("confirm-repeat"))

    const ids = { [capturedBookingId("cancel-preview")]: first.body.id }
    const preview = await replay("cancel-preview", ids)
    expectAsCaptured("cancel-preview", preview)
    expect(preview.body.cancellation_id).toMatch(
      /^[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-[A-Za-z0-9]{5}-CCL$/
    )
    expect(
      Date.parse(preview.body.confirm_before) - Date.now()
    ).toBeGreaterThan(23 * 3600_000)
    // A preview changes nothing.
    expect((await getBooking(first.body.id)).body).toMatchObject({
      status: "CONFIRMED",
      total_price: first.body.total_price,
    })
    expect(standIn.cancellationsFor(offerId)).toHaveLength(0)

    const cancelled = await replay("cancel-confirm-1", ids)
    expectAsCaptured("cancel-confirm-1", cancelled)
    expectAsCaptured("app-cancel-booking", cancelled)
    expect(standIn.cancellationsFor(offerId)).toHaveLength(1)

    expectAsCaptured("cancel-repeat", await replay("cancel-repeat", ids))
    // The same refusal on the other cancel route.
    const confirmAgain = await send({
      path: `/bookings/${first.body.id}/confirm_cancellation/${preview.body.cancellation_id}/`,
      body: {},
    })
    expectAsCaptured("cancel-repeat", confirmAgain)
    expect(standIn.cancellationsFor(offerId)).toHaveLength(1)
  })

  it("idempotency-key-first, idempotency-key-repeat", async () => {
    knowCapturedOffer("idempotency-key-first")
    const first = await replay("idempotency-key-first")
    expectAsCaptured("idempotency-key-first", first)
    const repeat = await replay("idempotency-key-repeat")
    expectAsCaptured("idempotency-key-repeat", repeat)
    expect(repeat.body).toEqual(first.body)
  })

  it("confirm-stale-2day, then cancel-cleanup-2 on its booking", async () => {
    knowCapturedOffer("confirm-stale-2day")
    const booked = await replay("confirm-stale-2day")
    expectAsCaptured("confirm-stale-2day", booked)
    expectAsCaptured(
      "cancel-cleanup-2",
      await replay("cancel-cleanup-2", {
        [capturedBookingId("cancel-cleanup-2")]: booked.body.id,
      })
    )
  })

  it("cancel-twostep-preview, then cancel-twostep-confirm with the stand-in's cancellation id", async () => {
    const preview = capture("cancel-twostep-preview").response
    const quoteId: string = preview.quotes[0].id
    const offerId = randomUUID()
    standIn.knowOffer(
      offerId,
      [{ id: quoteId, price: preview.quotes[0].price }],
      preview.currency
    )
    const policyholder = {
      first_name: "Pat",
      last_name: "Example",
      email: "pat@example.com",
      phone: "+14155550100",
      country: "US",
    }
    const booked = await send({
      path: `/offers/${offerId}/confirm/`,
      body: { quotes: [{ id: quoteId }], policyholder },
    })
    expect(booked.status).toBe(200)

    // Its request was not kept: the preview as cancel-preview sends it.
    const previewed = await send({
      path: `/bookings/${booked.body.id}/cancel`,
      body: { preview: true, quotes: [{ id: quoteId }] },
    })
    expectAsCaptured("cancel-twostep-preview", previewed)
    expect((await getBooking(booked.body.id)).body.status).toBe("CONFIRMED")
    expect(standIn.cancellationsFor(offerId)).toHaveLength(0)

    const confirm = capture("cancel-twostep-confirm").request!
    const cancellationId = /confirm_cancellation\/([^/]+)\//.exec(
      confirm.path
    )![1]
    const ids = {
      [capturedBookingId("cancel-twostep-confirm")]: booked.body.id,
      [cancellationId]: previewed.body.cancellation_id,
    }
    expectAsCaptured(
      "cancel-twostep-confirm",
      await replay("cancel-twostep-confirm", ids)
    )
    expect(standIn.cancellationsFor(offerId)).toHaveLength(1)
    // Guess (no capture): Get Booking shows the booking as the cancellation answered it.
    expect((await getBooking(booked.body.id)).body).toMatchObject({
      status: "CANCELLED",
      cancellation_id: null,
      total_price: 0,
    })
  })

  it("offer-for-optout, then opt-out-fresh of that offer", async () => {
    const offer = await replay("offer-for-optout")
    expectAsCaptured("offer-for-optout", offer)
    const ids = {
      [/\/offers\/([^/]+)\//.exec(capture("opt-out-fresh").request!.path)![1]]:
        offer.body.id,
    }
    expectAsCaptured("opt-out-fresh", await replay("opt-out-fresh", ids))
  })

  it("keeps a refused key's answer: 409 with the refusal to its repeat, and a new key books", async () => {
    standIn.requirePhone(true)
    standIn.knowOffer(
      "offer-phone",
      [{ id: "quote-phone", price: 12.5 }],
      "USD"
    )
    const holder = {
      first_name: "Pat",
      last_name: "Example",
      email: "pat@example.com",
      country: "US",
    }
    const confirm = (key: string, policyholder: Record<string, string>) =>
      send({
        path: "/offers/offer-phone/confirm/",
        idempotencyKey: key,
        body: { quotes: [{ id: "quote-phone" }], policyholder },
      })

    const refusedFirst = await confirm("key-1", holder)
    expect(refusedFirst.status).toBe(422)
    expect(refusedFirst.body).toEqual({
      type: "validation_error",
      message: "An API error occurred.",
      errors: { "policyholder.phone": ["This field is required."] },
    })

    const repeat = await confirm("key-1", { ...holder, phone: "+14155550100" })
    expect(repeat).toMatchObject({ status: 409, body: refusedFirst.body })
    expect(standIn.bookings.size).toBe(0)

    const booked = await confirm("key-2", { ...holder, phone: "+14155550100" })
    expect(booked.status).toBe(200)
    expect(booked.body).toMatchObject({
      status: "CONFIRMED",
      fast_quote_id: "offer-phone",
    })
    expect(
      await confirm("key-2", { ...holder, phone: "+14155550100" })
    ).toMatchObject({ status: 409, body: booked.body })
    expect(standIn.bookings.size).toBe(1)
  })

  // Last: every capture file was replayed by some test above.
  it("replayed every capture", () => {
    expect(NAMES.length).toBeGreaterThan(0)
    expect(NAMES.filter((n) => !replayed.has(n))).toEqual([])
  })
})
