import { classifyStatus, describeOutcome, parseErrorBody, parseRetryAfter, responseOutcome } from "../client/outcome"

describe("XCover outcome classification", () => {
  it.each([
    [204, "done"],
    [200, "done"],
    [409, "done"],
    [423, "retryable"],
    [429, "retryable"],
    [500, "retryable"],
    [502, "retryable"],
    [503, "retryable"],
    [504, "retryable"],
    [400, "rejected"],
    [401, "unauthorized"],
    [403, "unauthorized"],
    [404, "rejected"],
    [408, "rejected"],
    [422, "rejected"],
  ])("%i is %s", (status, kind) => {
    expect(classifyStatus(status)).toBe(kind)
  })

  it("keeps upstream status, type and message, and only those", () => {
    const outcome = responseOutcome(
      404,
      JSON.stringify({ type: "api_error", message: "Quote package does not exist", errors: { x: 1 } })
    )
    expect(outcome).toEqual({
      kind: "rejected",
      status: 404,
      type: "api_error",
      message: "Quote package does not exist",
      retryAfterMs: null,
    })
    expect(describeOutcome(outcome)).toBe("404 api_error: Quote package does not exist")
  })

  it("reads Retry-After on retryable answers, in seconds or as a date", () => {
    expect(responseOutcome(429, "{}", "3").retryAfterMs).toBe(3000)
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 4000)).toBe(6000)
    expect(parseRetryAfter("soon")).toBeNull()
    expect(responseOutcome(404, "{}", "3").retryAfterMs).toBeNull()
  })

  it("survives bodies that are not XCover's JSON", () => {
    expect(parseErrorBody("<html>bad gateway</html>")).toEqual({ type: null, message: "<html>bad gateway</html>" })
    expect(parseErrorBody("")).toEqual({ type: null, message: null })
    expect(parseErrorBody('{"type":5,"message":["x"]}')).toEqual({ type: null, message: null })
  })
})
