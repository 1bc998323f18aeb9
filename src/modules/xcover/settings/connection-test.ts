import { isXcoverErrorBody, type XcoverOutcome } from "../client/outcome"

/** What "Test connection" found, in words a store owner understands. */
export type ConnectionTestResult = {
  result:
    "accepted" | "rejected" | "unreachable" | "unexpected" | "not_configured"
  message: string
  /** XCover's HTTP status, null when no answer came back or no call was made. */
  http_status: number | null
  base_url: string | null
}

/**
 * Reads the answer to a probe (an opt-out of an offer id that cannot exist): XCover checks the
 * signature before looking the offer up, so its own 404 (JSON `{type, message}`) means the
 * credentials passed and 403 means not. A 404 without that body comes from something that is not
 * XCover's API (a wrong base path answers 404 too), so it proves nothing about the credentials.
 */
export function describeProbe(
  outcome: XcoverOutcome,
  baseUrl: string
): ConnectionTestResult {
  const base = { http_status: outcome.status, base_url: baseUrl }
  if (outcome.status === 404 && isXcoverErrorBody(outcome)) {
    return {
      ...base,
      result: "accepted",
      message: "Connected: XCover accepted the credentials.",
    }
  }
  if (outcome.status === 404) {
    return {
      ...base,
      result: "unexpected",
      message: `${baseUrl} answered HTTP 404 without XCover's error body: this does not look like XCover's API, the base URL is probably wrong. Check the environment or the baseUrl plugin option.`,
    }
  }
  if (outcome.status === 403) {
    return {
      ...base,
      result: "rejected",
      message:
        "XCover rejected the credentials. Check the partner code, API key, API secret and signature algorithm, and that they belong to this environment.",
    }
  }
  if (outcome.status === null) {
    const why =
      outcome.type === "timeout"
        ? "it did not answer in time"
        : "the connection failed"
    return {
      ...base,
      result: "unreachable",
      message: `XCover could not be reached at ${baseUrl}: ${why}. Check the environment or base URL and the server's network access.`,
    }
  }
  return {
    ...base,
    result: "unexpected",
    message: `XCover answered with an unexpected HTTP ${outcome.status}${outcome.type ? ` (${outcome.type})` : ""}. Try again in a moment; if it persists, contact Cover Genius.`,
  }
}

export const NOT_CONFIGURED_RESULT = (
  missing: string[]
): ConnectionTestResult => ({
  result: "not_configured",
  message: missing.length ? missing.join(" ") : "XCover is not configured yet.",
  http_status: null,
  base_url: null,
})
