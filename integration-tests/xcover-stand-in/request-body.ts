// Reading a request: its headers, its raw body, and the body as a JSON object with only the
// top-level fields a route takes (`readBodyFields`), refused as XCover refuses one.
import type { IncomingMessage } from "node:http"
import { refused, type Refused } from "./errors"

export function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name]
  return Array.isArray(v) ? v[0] : (v ?? null)
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    req.on("data", (c: Buffer) => chunks.push(c))
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")))
    req.on("error", () => resolve(""))
  })
}

export function parseJson(body: string): unknown {
  if (!body) {
    return null
  }
  try {
    return JSON.parse(body)
  } catch {
    return null
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v)
}

/**
 * A request body as a JSON object. Malformed JSON is refused 400 `validation_error` with
 * "JSON parse error - <detail>" (err-malformed). Guesses, each a 422 in XCover's shape: an empty
 * body (unless `allowEmpty`, which takes it as `{}`), a Content-Type other than JSON, JSON that
 * is not an object, and with `fields` any other top-level field.
 */
export function readBodyFields(
  req: IncomingMessage,
  raw: string,
  opts: { allowEmpty?: boolean; fields?: string[] }
): { ok: true; body: Record<string, unknown> } | Refused {
  if (!raw) {
    return opts.allowEmpty
      ? { ok: true, body: {} }
      : refused({ non_field_errors: ["A JSON body is required."] })
  }
  if (!(header(req, "content-type") ?? "").startsWith("application/json")) {
    return refused({
      non_field_errors: ["Content-Type must be application/json."],
    })
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch (e) {
    const message = `JSON parse error - ${e instanceof Error ? e.message : String(e)}`
    return {
      ok: false,
      status: 400,
      body: { type: "validation_error", message },
      reason: message,
    }
  }
  if (!isObject(parsed)) {
    return refused({
      non_field_errors: [`${JSON.stringify(parsed)} is not of type 'object'`],
    })
  }
  const unknown = opts.fields
    ? Object.keys(parsed).filter((k) => !opts.fields?.includes(k))
    : []
  return unknown.length
    ? refused(Object.fromEntries(unknown.map((k) => [k, ["Unknown field."]])))
    : { ok: true, body: parsed }
}
