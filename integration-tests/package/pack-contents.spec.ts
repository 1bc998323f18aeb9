import { readFileSync } from "node:fs"
import path from "node:path"
import { REPO_ROOT, run } from "./installed-app"

const pkg = JSON.parse(
  readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")
)

/** What `npm publish` would upload, from npm itself. */
async function packedFiles(): Promise<string[]> {
  const [report] = JSON.parse(
    await run("npm", ["pack", "--dry-run", "--json"], { cwd: REPO_ROOT })
  )
  return report.files.map((f: { path: string }) => f.path).sort()
}

describe("the published package", () => {
  let files: string[]
  beforeAll(async () => {
    files = await packedFiles()
  })

  it("ships the built server code, the admin bundle, the storefront entry point, the migrations and the docs", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "package.json",
        "README.md",
        "LICENSE",
        "CHANGELOG.md",
        // The README links into docs/: shipped, so the links hold in node_modules too.
        "docs/store-api.md",
        "docs/order-lifecycle.md",
        "docs/delivery.md",
        "docs/admin.md",
        "docs/operations.md",
        "docs/xcover-answers.md",
        "docs/examples/xcover-refund.ts",
        ".medusa/server/src/modules/xcover/index.js",
        ".medusa/server/src/modules/xcover/service.js",
        ".medusa/server/src/subscribers/xcover-order-reconcile.js",
        ".medusa/server/src/jobs/xcover-outbox.js",
        ".medusa/server/src/api/middlewares.js",
        ".medusa/server/src/api/store/carts/[id]/xcover-offers/route.js",
        ".medusa/server/src/workflows/index.js",
        ".medusa/server/src/admin/index.js",
        ".medusa/server/src/admin/index.mjs",
        ".medusa/storefront/package.json",
        ".medusa/storefront/index.js",
        ".medusa/storefront/index.d.ts",
        ".medusa/storefront/xcover-offer.js",
      ])
    )
    expect(
      files.filter((f) =>
        /^\.medusa\/server\/src\/modules\/xcover\/migrations\/Migration\d+\.js$/.test(
          f
        )
      )
    ).not.toEqual([])
  })

  it("ships no sources, tests, fixtures, scripts or env files", () => {
    const unwanted = files.filter((f) =>
      /(^|\/)(__tests__|__fixtures__|fixtures|integration-tests|scripts|src)\/|\.spec\.|\.test\.|(^|\/)\.env|\.tgz$|^medusa-config\./.test(
        f
          .replace(/^\.medusa\/server\/src\//, "")
          .replace(/^\.medusa\/storefront\//, "")
      )
    )
    expect(unwanted).toEqual([])
  })

  it("has a file in the package for every fixed export, including ./admin", () => {
    expect(pkg.exports["./admin"]).toEqual(
      expect.objectContaining({
        import: expect.any(String),
        require: expect.any(String),
      })
    )
    const targets = Object.values<string | Record<string, string>>(pkg.exports)
      .flatMap((t) => (typeof t === "string" ? [t] : Object.values(t)))
      .filter((t) => !t.includes("*"))
    for (const target of targets) {
      expect(files).toContain(target.replace(/^\.\//, ""))
    }
  })

  it("declares what a store's npm needs to install it correctly", () => {
    expect(pkg).toMatchObject({
      license: "MIT",
      engines: { node: "^20.19.0 || >=22.12.0" },
    })
    expect(pkg.repository.url).toContain("medusa-plugin-xcover")
    expect(pkg.keywords).toEqual(
      expect.arrayContaining(["medusa", "medusa-plugin", "medusa-v2"])
    )
    // Caret ranges: a store on any 2.21.x (and the matching @medusajs/ui) satisfies them.
    const storefrontOnly = ["@medusajs/js-sdk", "react", "react-dom"]
    for (const [name, range] of Object.entries<string>(pkg.peerDependencies)) {
      if (name.startsWith("@medusajs/")) {
        expect(`${name}@${range}`).toMatch(
          /^@medusajs\/[a-z-]+@\^\d+\.\d+\.\d+$/
        )
      } else {
        expect(`${name}@${range}`).toBe(`${name}@^18.3.1 || ^19.0.0`)
      }
    }
    // The storefront entry point's peers are optional: a Medusa server install gets no new peer
    // warning, a storefront (the Next.js starter has all three) gets them checked.
    expect(Object.keys(pkg.peerDependencies)).toEqual(
      expect.arrayContaining(storefrontOnly)
    )
    expect(Object.keys(pkg.peerDependenciesMeta).sort()).toEqual(storefrontOnly)
    for (const name of storefrontOnly) {
      expect(pkg.peerDependenciesMeta[name]).toEqual({ optional: true })
    }
    expect(pkg.peerDependencies).not.toHaveProperty(["@medusajs/test-utils"])
    expect(pkg.peerDependencies).not.toHaveProperty(["@medusajs/cli"])
    // Only the runtime HTTP client and the admin's chart library are dependencies: test and build
    // tooling stays in devDependencies. `medusa plugin:build` leaves every package.json dependency
    // as an import in the admin bundle, so the chart library must be one a store's npm installs.
    expect(Object.keys(pkg.dependencies)).toEqual(["recharts", "undici"])
  })
})
