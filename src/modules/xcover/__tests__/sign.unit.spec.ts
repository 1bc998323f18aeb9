import { execFile } from "node:child_process"
import { createHmac } from "node:crypto"
import path from "node:path"
import { promisify } from "node:util"
import {
  computeSignature,
  createSigner,
  signRequest,
  stringToSign,
} from "../client/sign"

const base = {
  apiKey: "test_api_key",
  apiSecret: "test_api_secret",
  method: "POST",
  path: "/x/partners/P/offers/O/opt_out/",
}

describe("XCover request signing", () => {
  it("matches the public test vector of the official Python SDK", () => {
    const headers = signRequest({
      ...base,
      algorithm: "hmac-sha256",
      signedHeaders: "date",
      now: new Date("Sun, 29 Aug 2021 12:07:26 GMT"),
    })
    expect(headers.date).toBe("Sun, 29 Aug 2021 12:07:26 GMT")
    expect(headers.authorization).toBe(
      'Signature keyId="test_api_key",algorithm="hmac-sha256",signature="bfxytCfvFqito27v0%2FKcN1jBJsgnCReimKXdAWwoi0k%3D"'
    )
    expect(headers["x-api-key"]).toBe("test_api_key")
  })

  it.each([
    ["hmac-sha512", "sha512"],
    ["hmac-sha384", "sha384"],
    ["hmac-sha256", "sha256"],
  ] as const)("signs with %s over the date line", (algorithm, digest) => {
    const now = new Date(Date.UTC(2021, 10, 4, 18, 7, 11))
    const headers = signRequest({
      ...base,
      algorithm,
      signedHeaders: "date",
      now,
    })
    const expected = encodeURIComponent(
      createHmac(digest, base.apiSecret)
        .update("date: Thu, 04 Nov 2021 18:07:11 GMT")
        .digest("base64")
    )
    expect(headers.authorization).toBe(
      `Signature keyId="test_api_key",algorithm="${algorithm}",signature="${expected}"`
    )
    expect(headers.authorization).not.toMatch(/, /)
  })

  it("signs the request target first when configured, and says so in headers=", () => {
    const now = new Date(Date.UTC(2021, 10, 4, 18, 7, 11))
    const headers = signRequest({
      ...base,
      algorithm: "hmac-sha512",
      signedHeaders: "(request-target) date",
      now,
    })
    const message =
      "(request-target): post /x/partners/P/offers/O/opt_out/\ndate: Thu, 04 Nov 2021 18:07:11 GMT"
    expect(
      stringToSign(
        { ...base, signedHeaders: "(request-target) date" },
        headers.date
      )
    ).toBe(message)
    const expected = encodeURIComponent(
      createHmac("sha512", base.apiSecret).update(message).digest("base64")
    )
    expect(headers.authorization).toBe(
      `Signature keyId="test_api_key",algorithm="hmac-sha512",headers="(request-target) date",signature="${expected}"`
    )
  })

  it("leaves the query string out of the request target", () => {
    expect(
      stringToSign(
        {
          signedHeaders: "(request-target) date",
          method: "POST",
          path: "/a/b/?x=1",
        },
        "D"
      )
    ).toBe("(request-target): post /a/b/\ndate: D")
  })

  it("formats Date in GMT with a two-digit day, whatever the local time zone", async () => {
    // The time zone is read once per process: only a fresh process really runs under another TZ.
    const script = `
      const { httpDate } = require(${JSON.stringify(path.join(__dirname, "../client/sign"))})
      const instant = new Date(Date.UTC(2021, 10, 4, 23, 59, 59))
      console.log(JSON.stringify({ offsetMinutes: instant.getTimezoneOffset(), header: httpDate(instant) }))`
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", "-e", script],
      {
        env: { ...process.env, TZ: "Pacific/Kiritimati" },
      }
    )
    const found = JSON.parse(stdout)
    // UTC+14 there: 23:59:59 UTC is already the 5th locally, so a local-time Date would show it.
    expect(found.offsetMinutes).toBe(-14 * 60)
    expect(found.header).toBe("Thu, 04 Nov 2021 23:59:59 GMT")
  })

  it("percent-encodes / + = of standard base64 (never URL-safe base64)", () => {
    // Find a message whose digest holds each of the three characters.
    let found = ""
    for (let i = 0; i < 10_000 && !found; i++) {
      const raw = createHmac("sha256", "k").update(`m${i}`).digest("base64")
      if (raw.includes("/") && raw.includes("+") && raw.endsWith("=")) {
        found = `m${i}`
      }
    }
    expect(found).not.toBe("")
    const sig = computeSignature("hmac-sha256", "k", found)
    expect(sig).toMatch(/%2F/)
    expect(sig).toMatch(/%2B/)
    expect(sig).toMatch(/%3D$/)
    expect(sig).not.toMatch(/[/+=_-]/)
    expect(decodeURIComponent(sig)).toBe(
      createHmac("sha256", "k").update(found).digest("base64")
    )
  })

  it("signs each request freshly: a later request gets a later Date and another signature", () => {
    const a = signRequest({
      ...base,
      algorithm: "hmac-sha512",
      signedHeaders: "date",
      now: new Date(1_700_000_000_000),
    })
    const b = signRequest({
      ...base,
      algorithm: "hmac-sha512",
      signedHeaders: "date",
      now: new Date(1_700_000_001_000),
    })
    expect(a.date).not.toBe(b.date)
    expect(a.authorization).not.toBe(b.authorization)
  })

  it("shares one HMAC within a second for date-only signing, and never reuses a Date", () => {
    const sign = createSigner()
    const input = {
      ...base,
      algorithm: "hmac-sha512" as const,
      signedHeaders: "date" as const,
    }
    const a = sign({ ...input, now: new Date(1_700_000_000_100) })
    const b = sign({ ...input, now: new Date(1_700_000_000_900) })
    const c = sign({ ...input, now: new Date(1_700_000_001_000) })
    const d = sign({
      ...input,
      apiSecret: "other",
      now: new Date(1_700_000_001_000),
    })
    expect(b).toEqual(a)
    expect(c.date).not.toBe(a.date)
    expect(c).toEqual(
      signRequest({ ...input, now: new Date(1_700_000_001_000) })
    )
    expect(d.authorization).not.toBe(c.authorization)
    // With the request target signed, every path gets its own signature.
    const t = {
      ...base,
      algorithm: "hmac-sha512" as const,
      signedHeaders: "(request-target) date" as const,
      now: new Date(1_700_000_000_100),
    }
    expect(sign({ ...t, path: "/x/a/" }).authorization).not.toBe(
      sign({ ...t, path: "/x/b/" }).authorization
    )
  })
})
