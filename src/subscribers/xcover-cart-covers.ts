import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { syncCartCovers } from "../workflows/sync-xcover-covers"

/**
 * Covers follow the lines they protect: re-priced when the covered line's quantity or price
 * changes, removed with it. Carts the plugin never quoted for cost one indexed lookup.
 * `cart.customer_transferred` too: a customer signing in re-prices the lines (their group's
 * price lists) and Medusa emits no `cart.updated` for it.
 */
export default async function xcoverCartCoversHandler({
  event,
  container,
}: SubscriberArgs<{ id: string }>) {
  try {
    await syncCartCovers(container, event.data.id)
  } catch (err) {
    container
      .resolve(ContainerRegistrationKeys.LOGGER)
      .warn(
        `xcover: cart ${event.data.id}: covers not brought in line: ${(err as Error).message}`
      )
  }
}

export const config: SubscriberConfig = {
  event: ["cart.updated", "cart.customer_transferred"],
  context: { subscriberId: "medusa-plugin-xcover-cart-covers" },
}
