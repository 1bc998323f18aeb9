// `medusa exec` entry: seeds a store in the configured database and writes the ids to
// $XCOVER_SEED_OUTPUT, for tests that run Medusa as separate processes.
import { writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { seedStore } from "./seed-store"

export default async function seed({ container }: ExecArgs) {
  const output = process.env.XCOVER_SEED_OUTPUT
  if (!output) {
    throw new Error("XCOVER_SEED_OUTPUT is not set")
  }
  writeFileSync(output, JSON.stringify(await seedStore(container)))
}
