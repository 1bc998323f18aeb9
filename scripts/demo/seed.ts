// `medusa exec` script of the demo: seeds the store once (a second run finds it) and makes sure
// the demo admin user exists with the given password. Writes what the storefront needs as JSON.
import { writeFileSync } from "node:fs"
import type { ExecArgs } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUsersWorkflow } from "@medusajs/medusa/core-flows"
import { findSeededStore, seedStore } from "../../integration-tests/helpers/seed-store"

export default async function seedDemo({ container }: ExecArgs) {
  const out = required("XCOVER_DEMO_STORE_FILE")
  const email = required("XCOVER_DEMO_ADMIN_EMAIL")
  const password = required("XCOVER_DEMO_ADMIN_PASSWORD")

  const found = await findSeededStore(container)
  const store = found ?? (await seedStore(container))

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
    } = await createUsersWorkflow(container).run({ input: { users: [{ email }] } })
    const { authIdentity, error } = await auth.register("emailpass", { body: { email, password } })
    if (error || !authIdentity) {
      throw new Error(`could not register the demo admin: ${error}`)
    }
    await auth.updateAuthIdentities({ id: authIdentity.id, app_metadata: { user_id: created.id } })
  }
  writeFileSync(out, JSON.stringify({ store, seeded: !found, adminCreated: !user }, null, 2))
}

function required(name: string): string {
  const value = process.env[name]
  if (!value) {
    throw new Error(`${name} is not set`)
  }
  return value
}
