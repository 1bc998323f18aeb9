import { writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "../helpers/seed-store"

/**
 * `medusa exec` script for the installed app: seeds it with the same helper the in-repo
 * integration tests use, and writes the ids the storefront needs to the file named by
 * SEED_OUTPUT (exec scripts have no other way to hand data back).
 */
export default async function seedInstalledApp({ container }: ExecArgs) {
  const output = process.env.SEED_OUTPUT
  if (!output) {
    throw new Error("SEED_OUTPUT must name the file to write the seeded ids to")
  }
  writeFileSync(output, JSON.stringify(await seedStore(container)))
}
