import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import {
  ContainerRegistrationKeys,
  MedusaError,
} from "@medusajs/framework/utils"
import { XCOVER_MODULE } from "../../modules/xcover"
import type XcoverModuleService from "../../modules/xcover/service"
import { findCoverRepairs, syncCartCovers } from "../sync-xcover-covers"
import { loadCoverCart } from "../steps/cart-cover"

/** Tries to bring the cart's covers in line again a few times once the completion let go of the cart's lock. */
function repairSoon(
  container: Parameters<typeof syncCartCovers>[0],
  cartId: string,
  tries = 3
): void {
  setTimeout(() => {
    syncCartCovers(container, cartId).catch((err: unknown) => {
      if (tries > 1) {
        repairSoon(container, cartId, tries - 1)
      } else {
        container
          .resolve(ContainerRegistrationKeys.LOGGER)
          .warn(
            `xcover: cart ${cartId}: covers not brought in line: ${err instanceof Error ? err.message : String(err)}`
          )
      }
    })
  }, 500).unref()
}

/**
 * The last guard before an order is placed: a cover that no longer matches its line (the line
 * changed or left since the quote, the quote was replaced, a quantity or price other than the
 * quote's) is never bought. The cart-change subscriber normally repaired it already; if it has
 * not yet (the shopper completed at once), completion is refused with what to do, and the repair
 * runs as soon as the cart is free. Carts the plugin never quoted for cost one indexed lookup.
 */
completeCartWorkflow.hooks.validate(async ({ cart }, { container }) => {
  const cartId = (cart as { id: string }).id
  const xcover = container.resolve<XcoverModuleService>(XCOVER_MODULE)
  if (!(await xcover.hasQuotedOffers(cartId))) {
    return
  }
  const current = await loadCoverCart(container, cartId, { open: false })
  if (current.completed_at) {
    // Completing again answers the order placed before: nothing is bought anew.
    return
  }
  const stale = await findCoverRepairs(xcover, current)
  if (stale.length) {
    repairSoon(container, cartId)
    throw new MedusaError(
      MedusaError.Types.NOT_ALLOWED,
      "The XCover cover in this cart no longer matches the item it covers (the item changed after it was quoted); it is being brought up to date. Fetch the cart, check its total and complete again"
    )
  }
})
