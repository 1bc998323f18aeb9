import { XcoverStandIn } from "../../../../integration-tests/xcover-stand-in/server"
import { XcoverClient, type XcoverCallSettings } from "../client/xcover-client"
import { describeProbe } from "../settings/connection-test"

const creds = {
  partnerCode: "PARTNER_1",
  apiKey: "key_123",
  apiSecret: "s3cr3t/+=",
}
const standIn = new XcoverStandIn(creds)
let settings: XcoverCallSettings
let client: XcoverClient

beforeAll(async () => {
  await standIn.start(0)
  settings = {
    ...creds,
    baseUrl: standIn.baseUrl,
    signatureAlgorithm: "hmac-sha512",
    signedHeaders: "date",
  }
})
afterAll(() => standIn.stop())
beforeEach(() => {
  standIn.reset()
  client = new XcoverClient({ timeoutMs: 500 })
})
afterEach(() => client.close())

const optOut = (offerId: string, s: Partial<XcoverCallSettings> = {}) =>
  client
    .optOut({
      settings: { ...settings, ...s },
      offerId,
      idempotencyKey: `k-${offerId}`,
    })
    .then((answer) => answer.outcome)

describe("XcoverClient against the stand-in", () => {
  it.each(["hmac-sha512", "hmac-sha384", "hmac-sha256"] as const)(
    "opts out with a valid %s signature",
    async (alg) => {
      const outcome = await optOut("offer-1", { signatureAlgorithm: alg })
      expect(outcome).toMatchObject({ kind: "done", status: 204 })
      expect(standIn.received).toHaveLength(1)
      expect(standIn.received[0]).toMatchObject({
        method: "POST",
        path: "/x/partners/PARTNER_1/offers/offer-1/opt_out/",
        idempotencyKey: "k-offer-1",
        algorithm: alg,
        answer: 204,
      })
    }
  )

  it("signs the request target when configured", async () => {
    expect(
      await optOut("offer-2", { signedHeaders: "(request-target) date" })
    ).toMatchObject({ kind: "done" })
    expect(standIn.received[0].signedHeaders).toBe("(request-target) date")
  })

  it("is refused as unauthorized, with XCover's reason, when the secret is wrong", async () => {
    const outcome = await optOut("offer-3", { apiSecret: "wrong" })
    expect(outcome).toEqual({
      clockSkewMs: expect.any(Number),
      kind: "unauthorized",
      status: 403,
      type: "auth_error",
      message: "You do not have permission to access this url",
      code: null,
      reasons: [],
      retryAfterMs: null,
    })
    expect(standIn.received[0].reason).toBe("signature mismatch")
  })

  it("reports a repeat with the same idempotency key (409) as replayed, for the kind to settle", async () => {
    await optOut("offer-4")
    const again = await optOut("offer-4")
    expect(again).toMatchObject({ kind: "replayed", status: 409 })
  })

  it("classifies scripted answers", async () => {
    standIn.script("o404", { status: 404 })
    standIn.script("o422", { status: 422 })
    standIn.script("o423", { status: 423 })
    standIn.script("o429", { status: 429, headers: { "retry-after": "2" } })
    standIn.script("o503", { status: 503 })
    expect(await optOut("o404")).toMatchObject({
      kind: "rejected",
      status: 404,
      message: "Quote package does not exist",
    })
    expect(await optOut("o422")).toMatchObject({
      kind: "rejected",
      status: 422,
      type: "validation_error",
    })
    expect(await optOut("o423")).toMatchObject({
      kind: "retryable",
      status: 423,
    })
    expect(await optOut("o429")).toMatchObject({
      kind: "retryable",
      status: 429,
      retryAfterMs: 2000,
    })
    expect(await optOut("o503")).toMatchObject({
      kind: "retryable",
      status: 503,
    })
  })

  it("abandons a hanging request after the timeout, as retryable", async () => {
    standIn.script("slow", { hang: true })
    const outcome = await optOut("slow")
    expect(outcome).toMatchObject({
      kind: "retryable",
      status: null,
      type: "timeout",
    })
  })

  it("treats a connection reset as retryable", async () => {
    standIn.script("reset", { reset: true })
    expect(await optOut("reset")).toMatchObject({
      kind: "retryable",
      status: null,
      type: "network_error",
    })
  })

  it("answers an unknown offer with XCover's JSON 404 and a wrong base path with a plain 404 page", async () => {
    standIn.setDefault({ status: 404 })
    const unknownOffer = await client.probe(settings)
    expect(unknownOffer).toMatchObject({
      status: 404,
      type: "api_error",
      message: "Quote package does not exist",
    })
    expect(describeProbe(unknownOffer, settings.baseUrl).result).toBe(
      "accepted"
    )

    const wrongBase = settings.baseUrl.replace(/\/x$/, "/xcover")
    const wrongPath = await client.probe({ ...settings, baseUrl: wrongBase })
    expect(wrongPath).toMatchObject({ status: 404, type: null })
    expect(wrongPath.message).toMatch(/^<html>/)
    expect(describeProbe(wrongPath, wrongBase)).toMatchObject({
      result: "unexpected",
      http_status: 404,
    })
    expect(standIn.received.map((r) => r.reason)).toEqual([
      null,
      "no such path (the trailing slash is required)",
    ])
  })

  it("treats an unreachable server as retryable", async () => {
    const outcome = await optOut("x", { baseUrl: "http://127.0.0.1:1/x" })
    expect(outcome).toMatchObject({ kind: "retryable", type: "network_error" })
  })

  it("percent-encodes ids in the path and refuses ids that could change it", async () => {
    await optOut("ok", { partnerCode: "P 1" })
    expect(standIn.received[0].path).toBe(
      "/x/partners/P%201/offers/ok/opt_out/"
    )
    const bad = await optOut("../../admin")
    expect(bad).toMatchObject({ kind: "rejected", type: "invalid_offer_id" })
    expect(standIn.received).toHaveLength(1)
  })

  it("keeps connections alive across calls", async () => {
    for (let i = 0; i < 20; i++) {
      await optOut(`ka-${i}`)
    }
    // undici may open a second connection while the first is finishing a response.
    const sockets = new Set(standIn.received.map((r) => r.remotePort))
    expect(sockets.size).toBeLessThanOrEqual(2)
  })

  it("gives an answer one deadline in all: headers just in time, then a body trickling for twice the timeout, is a timeout", async () => {
    // Each phase alone stays under the 500 ms timeout; together they take three times as long.
    // A send's lease (timeout + 5 s) outlasts this deadline, so no other process sends it meanwhile.
    standIn.scriptNext({
      trickle: { status: 200, headersAfterMs: 400, bodyMs: 1000 },
    })
    const answer = await client.getBooking(settings, "SLOWW-ANSWR-INS")
    expect(answer.outcome).toMatchObject({
      kind: "retryable",
      status: null,
      type: "timeout",
    })
    expect(answer.body).toBeNull()
  })

  it("reports how far XCover's Date header is from the local clock", async () => {
    standIn.setClockOffset(-120_000)
    try {
      const outcome = await optOut("skewed-1")
      expect(outcome.clockSkewMs).toBeLessThan(-115_000)
      expect(outcome.clockSkewMs).toBeGreaterThan(-125_000)
    } finally {
      standIn.setClockOffset(0)
    }
    expect(
      Math.abs((await optOut("in-time-1")).clockSkewMs ?? Infinity)
    ).toBeLessThan(2_000)
  })
})
