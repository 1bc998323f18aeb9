import type { XcoverBooking } from "../client/booking"
import { reportedDrift, type LedgerPolicy } from "../ledger/reported-drift"

const booked: LedgerPolicy = {
  booking_status: "CONFIRMED",
  currency: "EUR",
  total_price: 10,
  total_premium: 9.1,
}
const xcover = (patch: Partial<XcoverBooking>): XcoverBooking => ({
  booking_id: "ABCDE-FGHIJ-INS",
  booking_status: "CONFIRMED",
  currency: "EUR",
  total_price: 10,
  total_premium: 9.1,
  total_tax: 0.9,
  quotes: [],
  coi_url: null,
  coi_pdf: null,
  pds_url: null,
  fnol_link: null,
  cancel_link: null,
  ...patch,
})

describe("what XCover reports differently from the ledger", () => {
  it("nothing while XCover agrees (a difference under half a cent is rounding)", () => {
    expect(reportedDrift(booked, xcover({}))).toBeNull()
    expect(
      reportedDrift(booked, xcover({ total_price: 10.004, currency: "eur" }))
    ).toBeNull()
  })

  it("another price, premium or currency than booked, with XCover's values", () => {
    expect(reportedDrift(booked, xcover({ total_price: 12.4 }))).toEqual({
      differs: ["price"],
      status: "CONFIRMED",
      currency: "EUR",
      total_price: 12.4,
      total_premium: 9.1,
    })
    expect(
      reportedDrift(booked, xcover({ total_premium: 8 }))?.differs
    ).toEqual(["price"])
    expect(reportedDrift(booked, xcover({ currency: "GBP" }))?.differs).toEqual(
      ["price"]
    )
  })

  it("a policy live at XCover that the ledger has cancelled; its prices are not compared (a cancelled booking's come back 0)", () => {
    const cancelled = { ...booked, booking_status: "CANCELLED" }
    expect(reportedDrift(cancelled, xcover({ total_price: 0 }))).toMatchObject({
      differs: ["status"],
      status: "CONFIRMED",
    })
    expect(
      reportedDrift(
        cancelled,
        xcover({ booking_status: "CANCELLED", total_price: 0 })
      )
    ).toBeNull()
  })

  it("not a cancellation at XCover: that is applied (cancelled here, refund announced)", () => {
    expect(
      reportedDrift(
        booked,
        xcover({
          booking_status: "CANCELLED",
          total_price: 0,
          total_premium: 0,
        })
      )
    ).toBeNull()
  })
})
