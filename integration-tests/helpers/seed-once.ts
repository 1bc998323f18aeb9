import type { MedusaContainer } from "@medusajs/framework/types"
import type { MedusaSuiteOptions } from "@medusajs/test-utils"
import { seedStore, type SeededStore } from "./seed-store"

/**
 * Seeds the store once for a test file (with `more`, say an admin user), then snapshots the
 * database: medusaIntegrationTestRunner restores that snapshot before every test, so each test
 * starts from the same seeded store as if it had seeded its own. Returns the seeded store's ids.
 */
export function seedStoreOnce(
  {
    getContainer,
    dbUtils,
    utils,
  }: Pick<MedusaSuiteOptions, "getContainer" | "dbUtils" | "utils">,
  more: (container: MedusaContainer) => Promise<void> = async () => {}
): () => SeededStore {
  let seeded: SeededStore | undefined
  beforeAll(async () => {
    seeded = await seedStore(getContainer())
    await more(getContainer())
    await utils.waitWorkflowExecutions()
    await dbUtils.snapshot()
  })
  return () => {
    if (!seeded) {
      throw new Error("the store is seeded in beforeAll")
    }
    return seeded
  }
}
