#!/usr/bin/env node
// Writes ./captures from the live sandbox captures published in highbrowse-co/realcheap
// (`fixtures/` and `fixtures/probe/`), keeping only the facts the plugin depends on: the call,
// the request as sent (policyholders replaced by a made-up one), the status, and the answer's
// fields the plugin reads, with their shapes. Security tokens are dropped.
//   node integration-tests/xcover-contract/extract-captures.mjs <path to realcheap's fixtures/>
import { readFileSync, readdirSync, writeFileSync } from "node:fs"
import path from "node:path"
import { fileURLToPath } from "node:url"

const source = process.argv[2]
if (!source) {
  console.error("usage: extract-captures.mjs <path to realcheap's fixtures/>")
  process.exit(2)
}
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "captures")

const pick = (obj, keys) =>
  obj && typeof obj === "object"
    ? Object.fromEntries(keys.filter((k) => k in obj).map((k) => [k, obj[k]]))
    : obj
const redact = (v) =>
  typeof v === "string"
    ? v.replace(/security_token=[^&"]+/g, "security_token=REDACTED")
    : v
const POLICYHOLDER = {
  first_name: "Pat",
  last_name: "Example",
  email: "pat@example.com",
  phone: "+14155550100",
}

function trimOffer(b) {
  return {
    ...pick(b, ["id", "currency", "errors"]),
    products: b.products.map((p) => ({
      ...pick(p, ["id", "product_config_id"]),
      details: {
        pds_url: p.details.pds_url,
        finance: {
          price: pick(p.details.finance.price, [
            "total_amount",
            "total_amount_formatted",
          ]),
        },
      },
    })),
    content: {
      ...pick(b.content, [
        "title",
        "heading",
        "positive_cta",
        "negative_cta",
        "disclaimer",
        "extras",
      ]),
      products: b.content.products.map((p) =>
        pick(p, ["id", "product_config_id", "title", "description"])
      ),
    },
  }
}

function trimBooking(b) {
  const kept = pick(b, [
    "id",
    "status",
    "currency",
    "total_price",
    "total_premium",
    "total_tax",
    "partner_transaction_id",
    "fast_quote_id",
    "pds_url",
    "fnol_link",
    "cancel_link",
    "total_refund",
    "refund_amount",
    "cancellation_id",
    "confirm_before",
  ])
  for (const k of ["fnol_link", "cancel_link"])
    if (k in kept) kept[k] = redact(kept[k])
  if (b.coi) kept.coi = { url: redact(b.coi.url), pdf: redact(b.coi.pdf) }
  kept.quotes = b.quotes.map((q) => ({
    ...pick(q, [
      "id",
      "status",
      "price",
      "refund_value",
      "adjustment_fee",
      "policy_start_date",
      "can_be_cancelled",
    ]),
    policy: pick(q.policy, ["policy_name"]),
  }))
  return kept
}

function trimRequestBody(body) {
  if (!body || typeof body !== "object") return body ?? null
  return body.policyholder
    ? {
        ...body,
        policyholder: { ...POLICYHOLDER, country: body.policyholder.country },
      }
    : body
}

function callOf(method, urlPath) {
  if (method === "GET") return "get_booking"
  if (/\/offers\/$/.test(urlPath)) return "create_offer"
  if (/\/opt_out\/$/.test(urlPath)) return "opt_out"
  if (/\/confirm\/$/.test(urlPath)) return "confirm"
  if (/\/confirm_cancellation\//.test(urlPath)) return "confirm_cancellation"
  if (/\/cancel\/?$/.test(urlPath)) return "cancel"
  throw new Error(`unknown call ${urlPath}`)
}

function trimAnswer(call, status, body) {
  if (body === null || body === undefined) return null
  if (status >= 400 || (status === 409 && !body.id)) return body
  if (call === "create_offer") return trimOffer(body)
  return trimBooking(body)
}

const written = []
function write(name, capture, call, request, status, response) {
  const fixture = {
    capture,
    call,
    request,
    status,
    response: trimAnswer(call, status, response),
  }
  writeFileSync(
    path.join(out, `${name}.json`),
    `${JSON.stringify(fixture, null, 2)}\n`
  )
  written.push(name)
}

const probe = path.join(source, "probe")
for (const file of readdirSync(probe)
  .filter((f) => f.endsWith(".json"))
  .sort()) {
  const j = JSON.parse(readFileSync(path.join(probe, file), "utf8"))
  const name = file.replace(/\.json$/, "")
  const capture = `fixtures/probe/${file}`
  if (j.url && j.method) {
    const url = new URL(j.url)
    const rel = url.pathname.replace(/^.*?\/partners\/[^/]+/, "")
    const headers = Object.fromEntries(
      Object.entries(j.requestHeaders ?? {}).map(([k, v]) => [
        k.toLowerCase(),
        v,
      ])
    )
    const request = {
      method: j.method,
      path: rel,
      query: url.search.slice(1) || null,
      idempotency_key: headers["x-idempotency-key"] ?? null,
      body:
        typeof j.requestBody === "string"
          ? { raw: j.requestBody }
          : trimRequestBody(j.requestBody),
    }
    write(
      name,
      capture,
      callOf(j.method, rel),
      request,
      j.status,
      j.responseBody
    )
  } else if (j.request) {
    // idempotency-key-*: the probe kept the offer id, the body and the key.
    const request = {
      method: "POST",
      path: `/offers/${j.request.offerId}/confirm/`,
      query: null,
      idempotency_key: j.request.headers["x-idempotency-key"],
      body: trimRequestBody(j.request.confirmBody),
    }
    write(name, capture, "confirm", request, j.status, j.response)
  } else if (j.url) {
    const rel = new URL(j.url).pathname.replace(/^.*?\/partners\/[^/]+/, "")
    write(
      name,
      capture,
      callOf("POST", rel),
      {
        method: "POST",
        path: rel,
        query: null,
        idempotency_key: null,
        body: null,
      },
      j.status,
      j.response
    )
  } else {
    // cancel-twostep-preview: the answer alone (its request was not kept).
    write(name, capture, "cancel", null, j.status, j.response)
  }
}
// The app's own captures of a confirm and a one-step cancel (answers only).
for (const [file, call, name] of [
  ["confirm-offer.json", "confirm", "app-confirm-offer"],
  ["cancel-booking.json", "cancel", "app-cancel-booking"],
]) {
  const j = JSON.parse(readFileSync(path.join(source, file), "utf8"))
  delete j._note
  write(name, `fixtures/${file}`, call, null, 200, j)
}
console.log(`wrote ${written.length} captures to ${out}`)
