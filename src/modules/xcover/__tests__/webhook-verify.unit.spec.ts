import { computeSignature } from "../client/sign"
import { webhookProblem } from "../webhooks/verify"

const creds = { apiKey: "key-1", apiSecret: "test_api_secret" }
const date = "Sun, 29 Aug 2021 12:07:26 GMT"
const now = Date.parse(date) + 30_000

function headers(
  over: Partial<{
    date: string
    key: string
    keyId: string
    algorithm: string
    signature: string
    extra: string
  }> = {}
) {
  const algorithm = over.algorithm ?? "hmac-sha256"
  const signature =
    over.signature ??
    computeSignature(
      algorithm as "hmac-sha256",
      creds.apiSecret,
      `date: ${over.date ?? date}`
    )
  return {
    date: over.date ?? date,
    "x-api-key": over.key ?? creds.apiKey,
    authorization: `Signature keyId="${over.keyId ?? creds.apiKey}",algorithm="${algorithm}"${over.extra ?? ""},signature="${signature}"`,
  }
}

describe("webhookProblem (XCover's webhook signature)", () => {
  it("accepts the public test vector's signature and the algorithms XCover names", () => {
    // Official Python SDK vector: secret test_api_secret, this Date, hmac-sha256.
    expect(headers().authorization).toContain(
      'signature="bfxytCfvFqito27v0%2FKcN1jBJsgnCReimKXdAWwoi0k%3D"'
    )
    expect(webhookProblem(headers(), creds, now)).toBeNull()
    expect(
      webhookProblem(headers({ algorithm: "hmac-sha512" }), creds, now)
    ).toBeNull()
  })

  it("refuses a wrong key, keyId, secret, algorithm, signed headers, stale or missing Date, or a malformed header", () => {
    expect(webhookProblem(headers({ key: "other" }), creds, now)).toMatch(
      /X-Api-Key/
    )
    expect(webhookProblem(headers({ keyId: "other" }), creds, now)).toMatch(
      /keyId/
    )
    expect(
      webhookProblem(headers(), { ...creds, apiSecret: "another" }, now)
    ).toMatch(/does not match/)
    expect(
      webhookProblem(
        headers({ algorithm: "hmac-sha1", signature: "x" }),
        creds,
        now
      )
    ).toMatch(/algorithm/)
    expect(
      webhookProblem(
        headers({ extra: ',headers="(request-target) date"' }),
        creds,
        now
      )
    ).toMatch(/date header/)
    expect(
      webhookProblem(headers(), creds, Date.parse(date) + 5 * 60_000 + 1)
    ).toMatch(/5 minutes/)
    expect(
      webhookProblem(headers(), creds, Date.parse(date) - 5 * 60_000 - 1)
    ).toMatch(/5 minutes/)
    expect(
      webhookProblem({ ...headers(), date: undefined }, creds, now)
    ).toMatch(/Date/)
    expect(
      webhookProblem({ ...headers(), authorization: "Bearer x" }, creds, now)
    ).toMatch(/Signature/)
    expect(
      webhookProblem(headers({ signature: "%E0%A4%A" }), creds, now)
    ).toMatch(/percent/)
  })

  it("never puts the secret in its reasons", () => {
    for (const h of [
      headers({ key: "x" }),
      headers({ signature: "AAAA" }),
      headers({ date: "nope" }),
    ]) {
      expect(String(webhookProblem(h, creds, now))).not.toContain(
        creds.apiSecret
      )
    }
  })
})
