// medusa-plugin-xcover/storefront: what a storefront needs to sell XCover cover through the
// plugin's store routes. Plain functions (any framework, server or browser) and React client
// components styled with @medusajs/ui and Tailwind, as Medusa's Next.js starter is.
export * from "./api.js"
export { XCOVER_LABELS, type XcoverLabels } from "./labels.js"
export { XcoverOffer, type XcoverOfferProps } from "./xcover-offer.js"
export {
  XcoverCoverLine,
  type XcoverCoverLineProps,
} from "./xcover-cover-line.js"
export { XcoverPolicies, type XcoverPoliciesProps } from "./xcover-policies.js"
