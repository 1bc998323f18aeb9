import { BINDABLE_STATUSES } from "../ledger/offers"
import { OFFER_STATUSES, OFFER_TRANSITIONS, statusesInto } from "../statuses"
import { RETRYABLE_BY_HAND } from "../reporting/offer-log"

describe("offer status transitions", () => {
  it("ends nowhere for an opted-out offer; a taken one is only declined when its held booking is", () => {
    expect(OFFER_TRANSITIONS.selected).toEqual(["pending"])
    expect(OFFER_TRANSITIONS.opted_out).toEqual([])
  })

  it("never lets an offer in flight or already opted out become taken", () => {
    expect(BINDABLE_STATUSES).not.toContain("sending")
    expect(BINDABLE_STATUSES).not.toContain("opted_out")
    expect([...BINDABLE_STATUSES].sort()).toEqual([
      "failed",
      "pending",
      "rejected",
      "retrying",
      "shown",
    ])
  })

  it("lets a person retry only what the table allows back to pending", () => {
    for (const status of RETRYABLE_BY_HAND) {
      expect(OFFER_TRANSITIONS[status]).toContain("pending")
    }
  })

  it("lists only known statuses", () => {
    for (const to of Object.values(OFFER_TRANSITIONS).flat()) {
      expect(OFFER_STATUSES).toContain(to)
    }
    expect(statusesInto("sending").sort()).toEqual([
      "pending",
      "retrying",
      "sending",
    ])
  })
})
