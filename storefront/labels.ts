/**
 * The components' own words (XCover's copy comes from XCover, in the language the plugin asked
 * for). English by default; pass `labels` to a component to change any of them.
 */
export const XCOVER_LABELS = {
  protection: "Protection",
  loading: "Loading protection options…",
  loadFailed: "Protection options could not be loaded.",
  tryAgain: "Try again",
  noThanks: "No thanks",
  planTerms: "Policy terms (PDS)",
  updating: "Updating your cart…",
  addFailed: "The protection could not be added. Please try again.",
  removeFailed: "The protection could not be removed. Please try again.",
  covers: "Covers:",
  remove: "Remove",
  yourProtection: "Your protection",
  policyNumber: "Policy number",
  price: "Price",
  active: "Active",
  cancelled: "Cancelled",
  beingIssued: "Being issued",
  issuingNote:
    "Your policy is being issued; its documents appear here shortly.",
  policiesFailed:
    "Your protection details could not be loaded. Please refresh the page.",
  certificate: "Certificate of insurance",
  claim: "Make a claim",
}

export type XcoverLabels = typeof XCOVER_LABELS

/** The defaults with the given labels over them. */
export function xcoverLabels(given?: Partial<XcoverLabels>): XcoverLabels {
  return given ? { ...XCOVER_LABELS, ...given } : XCOVER_LABELS
}
