import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createAdminUser } from "../helpers/admin-user"
import { useXcoverStandIn } from "../helpers/xcover-env"

jest.setTimeout(120_000)

// No XCOVER_ENCRYPTION_KEY in this app.
useXcoverStandIn({ XCOVER_ENCRYPTION_KEY: "" })

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    let admin: { headers: Record<string, string> }
    beforeEach(async () => {
      admin = await createAdminUser(getContainer(), api)
    })

    it("refuses to save a secret, saying what to set, and saves nothing of that request", async () => {
      const res = await api
        .post("/admin/xcover/settings", { api_secret: "would-be-plaintext", partner_code: "NEWCODE" }, admin)
        .catch((e: any) => e.response)
      expect(res.status).toBe(400)
      expect(res.data.message).toContain("XCOVER_ENCRYPTION_KEY")
      expect(res.data.message).toContain("encryptionKey")
      expect(JSON.stringify(res.data)).not.toContain("would-be-plaintext")
      const { data } = await api.get("/admin/xcover/settings", admin)
      expect(data.settings).toMatchObject({ encryption_key_set: false, partner_code: { source: "plugin_option" } })
    })

    it("still saves everything else", async () => {
      const { data } = await api.post("/admin/xcover/settings", { partner_code: "NEWCODE", signature_algorithm: "hmac-sha384" }, admin)
      expect(data.settings.partner_code).toEqual({ value: "NEWCODE", source: "admin" })
      expect(data.settings.signature_algorithm).toEqual({ value: "hmac-sha384", source: "admin" })
    })
  },
})
