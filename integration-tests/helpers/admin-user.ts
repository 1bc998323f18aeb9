import type { MedusaContainer } from "@medusajs/framework/types"
import { Modules } from "@medusajs/framework/utils"
import { createUserAccountWorkflow } from "@medusajs/medusa/core-flows"
import type { Api } from "./storefront"

export const ADMIN_USER = {
  email: "admin@xcover.test",
  password: "correct-horse-battery",
}

/**
 * Creates an admin user with an email/password identity, the way `medusa user` does, and
 * logs in through the real auth route. Returns request options carrying its bearer token.
 */
export async function createAdminUser(
  container: MedusaContainer,
  api: Api
): Promise<{ headers: Record<string, string> }> {
  const auth = container.resolve(Modules.AUTH)
  const { success, authIdentity, error } = await auth.register("emailpass", {
    body: { email: ADMIN_USER.email, password: ADMIN_USER.password },
  })
  if (!success || !authIdentity) {
    throw new Error(`could not register the test admin: ${error}`)
  }
  await createUserAccountWorkflow(container).run({
    input: {
      authIdentityId: authIdentity.id,
      userData: {
        email: ADMIN_USER.email,
        first_name: "Ada",
        last_name: "Admin",
      },
    },
  })
  const { data } = await api.post("/auth/user/emailpass", ADMIN_USER)
  return { headers: { authorization: `Bearer ${data.token}` } }
}
