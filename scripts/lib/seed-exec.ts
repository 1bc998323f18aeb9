// `medusa exec` script of the demo and the benchmarks: seeds the store once (a second run finds
// it), optionally makes sure an admin user exists with the given password, and writes what the
// storefront needs as JSON to XCOVER_SEED_FILE.
import { writeFileSync } from "node:fs"
import type { ExecArgs, MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"
import {
  findSeededStore,
  markInsuranceProduct,
  seedStore,
} from "../../integration-tests/helpers/seed-store"

export default async function seedDemo({ container }: ExecArgs) {
  const out = process.env.XCOVER_SEED_FILE
  if (!out) {
    throw new Error("XCOVER_SEED_FILE is not set")
  }
  const found = await findSeededStore(container)
  if (found) {
    await markInsuranceProduct(container)
  }
  const store = found ?? (await seedStore(container))
  const email = process.env.XCOVER_SEED_ADMIN_EMAIL
  const password = process.env.XCOVER_SEED_ADMIN_PASSWORD
  const adminCreated =
    email && password ? await ensureAdmin(container, email, password) : false
  writeFileSync(
    out,
    JSON.stringify({ store, seeded: !found, adminCreated }, null, 2)
  )
}

/** Creates the admin user, or resets its password when it exists. True when created. */
async function ensureAdmin(
  container: MedusaContainer,
  email: string,
  password: string
): Promise<boolean> {
  const users = container.resolve(Modules.USER)
  const auth = container.resolve(Modules.AUTH)
  const [user] = await users.listUsers({ email })
  if (user) {
    // The login file may be newer than the database: make the printed password the valid one.
    await auth.updateProvider("emailpass", { entity_id: email, password })
  } else {
    // What `medusa user -e -p` does, without booting Medusa once more.
    const {
      result: [created],
    } = await createUsersWorkflow(container).run({
      input: { users: [{ email }] },
    })
    const { authIdentity, error } = await auth.register("emailpass", {
      body: { email, password },
    })
    if (error || !authIdentity) {
      throw new Error(`could not register the demo admin: ${error}`)
    }
    await auth.updateAuthIdentities({
      id: authIdentity.id,
      app_metadata: { user_id: created.id },
    })
  }
  return !user
}
