import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
} from "node:crypto"

/**
 * AES-256-GCM for the API secret saved in the admin. The stored form is
 * `v1.<iv>.<auth tag>.<ciphertext>` (base64url parts): the version lets a later key scheme be
 * told apart, and the auth tag makes a wrong key or an edited row fail instead of decrypting to
 * garbage. The additional authenticated data ties a ciphertext to its column, so it cannot be
 * moved into another field.
 */
const VERSION = "v1"
const IV_BYTES = 12
const KEY_SALT = "medusa-plugin-xcover"

export class SecretBox {
  private readonly key: Buffer

  /** `passphrase` is the `encryptionKey` option; HKDF turns any length of it into 32 bytes. */
  constructor(passphrase: string) {
    this.key = Buffer.from(
      hkdfSync("sha256", passphrase, KEY_SALT, "xcover-settings-secret-v1", 32)
    )
  }

  encrypt(plaintext: string, aad: string): string {
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv("aes-256-gcm", this.key, iv)
    cipher.setAAD(Buffer.from(aad, "utf8"))
    const data = Buffer.concat([
      cipher.update(plaintext, "utf8"),
      cipher.final(),
    ])
    return [VERSION, iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
      .join(".")
  }

  /** The plaintext, or null when the value was sealed under another key, or altered. */
  decrypt(sealed: string, aad: string): string | null {
    const [version, iv, tag, data, ...rest] = sealed.split(".")
    if (
      version !== VERSION ||
      !iv ||
      !tag ||
      data === undefined ||
      rest.length
    ) {
      return null
    }
    try {
      const decipher = createDecipheriv(
        "aes-256-gcm",
        this.key,
        Buffer.from(iv, "base64url")
      )
      decipher.setAAD(Buffer.from(aad, "utf8"))
      decipher.setAuthTag(Buffer.from(tag, "base64url"))
      return Buffer.concat([
        decipher.update(Buffer.from(data, "base64url")),
        decipher.final(),
      ]).toString("utf8")
    } catch {
      return null
    }
  }
}
