import {
  classifyStatus,
  describeOutcome,
  errorReasons,
  parseErrorBody,
  parseRetryAfter,
  resolveReplay,
  responseOutcome,
} from "../client/outcome"

describe("XCover outcome classification", () => {
  it.each([
    [204, "done"],
    [200, "done"],
    [409, "replayed"],
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

  it("keeps upstream status, type, code and message, and only those", () => {
    const outcome = responseOutcome(
      404,
      JSON.stringify({
        type: "api_error",
        message: "Quote package does not exist",
        errors: { x: 1 },
      })
    )
    expect(outcome).toEqual({
      kind: "rejected",
      status: 404,
      type: "api_error",
      message: "Quote package does not exist",
      code: null,
      reasons: [],
      retryAfterMs: null,
    })
    expect(describeOutcome(outcome)).toBe(
      "404 api_error: Quote package does not exist"
    )
  })

  it("reads Retry-After on retryable answers, in seconds or as a date", () => {
    expect(responseOutcome(429, "{}", "3").retryAfterMs).toBe(3000)
    expect(parseRetryAfter("Thu, 01 Jan 1970 00:00:10 GMT", 4000)).toBe(6000)
    expect(parseRetryAfter("soon")).toBeNull()
    expect(responseOutcome(404, "{}", "3").retryAfterMs).toBeNull()
  })

  it("survives bodies that are not XCover's JSON", () => {
    expect(parseErrorBody("<html>bad gateway</html>")).toEqual({
      type: null,
      message: "<html>bad gateway</html>",
      code: null,
      reasons: [],
    })
    expect(parseErrorBody("")).toEqual({
      type: null,
      message: null,
      code: null,
      reasons: [],
    })
    expect(parseErrorBody('{"type":5,"message":["x"]}')).toEqual({
      type: null,
      message: null,
      code: null,
      reasons: [],
    })
  })

  it("reads the reasons from `errors` in each of XCover's shapes, never the generic message", () => {
    expect(
      errorReasons([
        "Status change not allowed for QuotePackage in status CANCELLED",
      ])
    ).toEqual([
      "Status change not allowed for QuotePackage in status CANCELLED",
    ])
    expect(
      errorReasons({
        non_field_errors: ["'customer' is a required property"],
        "policyholder.phone": ["This field is required."],
      })
    ).toEqual([
      "'customer' is a required property",
      "policyholder.phone: This field is required.",
    ])
    expect(
      errorReasons({
        "0": { message: "m", type: "quote_creation_failure" },
        "1": { message: "m", type: "quote_creation_failure" },
        metadata: { selected_offer_id: "x" },
      })
    ).toEqual(["m"])
    expect(errorReasons({})).toEqual([])
    const refused = responseOutcome(
      422,
      JSON.stringify({
        type: "validation_error",
        message: "An API error occurred.",
        errors: ["Booking already exists"],
      })
    )
    expect(describeOutcome(refused)).toBe(
      "422 validation_error: Booking already exists"
    )
  })

  it("settles a 409 as done only when it carries the result, else as the refusal it replays", () => {
    const booking = { id: "ABCDE-FGHIJ-INS", status: "CONFIRMED" }
    const isBooking = (body: unknown) =>
      !!body && typeof body === "object" && "id" in body
    const replayedBooking = resolveReplay(
      { outcome: responseOutcome(409, JSON.stringify(booking)), body: booking },
      isBooking
    )
    expect(replayedBooking.outcome).toMatchObject({ kind: "done", status: 409 })
    const refusal = {
      type: "validation_error",
      message: "An API error occurred.",
      errors: { "policyholder.phone": ["This field is required."] },
    }
    const replayedRefusal = resolveReplay(
      { outcome: responseOutcome(409, JSON.stringify(refusal)), body: refusal },
      isBooking
    )
    expect(replayedRefusal.outcome).toMatchObject({
      kind: "rejected",
      status: 409,
    })
    expect(replayedRefusal.outcome.message).toContain(
      "policyholder.phone: This field is required."
    )
  })
})
