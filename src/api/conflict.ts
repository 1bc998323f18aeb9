import type { MedusaResponse } from "@medusajs/framework/http"
import { MedusaError } from "@medusajs/framework/utils"

/**
 * Medusa's error handler answers every CONFLICT with one generic sentence about idempotency
 * keys; a storefront needs to know which conflict it hit (stale offer, another cart's offer).
 * Runs `work` and answers its CONFLICT as a 409 with its own message; other errors go on.
 */
export async function answeringConflicts(
  res: MedusaResponse,
  work: () => Promise<void>
): Promise<void> {
  try {
    await work()
  } catch (err) {
    // A workflow rethrows its step's error, not always as the same Error instance: read its fields.
    const { type, message } = (err ?? {}) as {
      type?: unknown
      message?: unknown
    }
    if (type === MedusaError.Types.CONFLICT && typeof message === "string") {
      res.status(409).json({ type, message })
      return
    }
    throw err
  }
}
