import { SecretBox } from "../crypto/secret-box"

const KEY = "k".repeat(16) + "0123456789abcdef"
const AAD = "xcover_settings.api_secret"

describe("SecretBox (AES-256-GCM)", () => {
  it("round-trips a secret and never stores it in the clear", () => {
    const box = new SecretBox(KEY)
    const sealed = box.encrypt("sup3r/s3cret+value=", AAD)
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed).not.toContain("s3cret")
    expect(box.decrypt(sealed, AAD)).toBe("sup3r/s3cret+value=")
  })

  it("uses a fresh IV each time", () => {
    const box = new SecretBox(KEY)
    expect(box.encrypt("same", AAD)).not.toBe(box.encrypt("same", AAD))
  })

  it("refuses another key, another column, and an altered value", () => {
    const sealed = new SecretBox(KEY).encrypt("secret", AAD)
    expect(new SecretBox(KEY + "x").decrypt(sealed, AAD)).toBeNull()
    expect(new SecretBox(KEY).decrypt(sealed, "other.column")).toBeNull()
    const parts = sealed.split(".")
    const flipped = Buffer.from(parts[3], "base64url")
    flipped[0] ^= 1
    expect(
      new SecretBox(KEY).decrypt(
        [...parts.slice(0, 3), flipped.toString("base64url")].join("."),
        AAD
      )
    ).toBeNull()
    expect(new SecretBox(KEY).decrypt("not-sealed", AAD)).toBeNull()
  })
})
