import { readdirSync, readFileSync } from "node:fs"
import path from "node:path"
import { REPO_ROOT } from "./installed-app"

/** Every file below `dir` whose name matches. */
function filesIn(dir: string, match: RegExp): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && match.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
}

/** The module specifiers a JS/TS file imports, re-exports or requires. */
function specifiers(file: string): string[] {
  const code = readFileSync(file, "utf8")
  const found = new Set<string>()
  for (const re of [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*\(?\s*["']([^"']+)["']/g,
    /\brequire\(\s*["']([^"']+)["']\s*\)/g,
  ]) {
    for (const m of code.matchAll(re)) {
      found.add(m[1])
    }
  }
  return [...found]
}

/** Where a specifier of `file` points: a path for relative ones, else the package name as written. */
function target(file: string, spec: string): string {
  return spec.startsWith(".") ? path.resolve(path.dirname(file), spec) : spec
}

const STOREFRONT_SRC = path.join(REPO_ROOT, "storefront")
const STOREFRONT_OUT = path.join(REPO_ROOT, ".medusa/storefront")
const SERVER_OUT = path.join(REPO_ROOT, ".medusa/server")
const SERVER_SRC = path.join(REPO_ROOT, "src")
/** What the storefront entry may import besides its own files: React and Medusa's UI (the SDK only as types). */
const STOREFRONT_PACKAGES = ["@medusajs/ui", "react", "react/jsx-runtime"]

// The build (global setup) has just written both outputs: check the import graph of each.
describe("the storefront entry point and the server code stay apart", () => {
  it("builds the storefront entry point into .medusa/storefront, with declarations", () => {
    const built = filesIn(STOREFRONT_OUT, /\.(js|d\.ts)$/).map((f) =>
      path.relative(STOREFRONT_OUT, f)
    )
    expect(built).toEqual(
      expect.arrayContaining([
        "index.js",
        "index.d.ts",
        "api.js",
        "api.d.ts",
        "xcover-offer.js",
        "xcover-offer.d.ts",
      ])
    )
    // Client components for React Server Components bundlers (Next.js).
    for (const file of [
      "xcover-offer.js",
      "xcover-cover-line.js",
      "xcover-policies.js",
    ]) {
      expect(readFileSync(path.join(STOREFRONT_OUT, file), "utf8")).toMatch(
        /^"use client";/
      )
    }
  })

  it("the built storefront imports only its own files, React and @medusajs/ui", () => {
    const outside = new Set<string>()
    for (const file of filesIn(STOREFRONT_OUT, /\.js$/)) {
      for (const spec of specifiers(file)) {
        const to = target(file, spec)
        if (
          path.isAbsolute(to)
            ? !to.startsWith(STOREFRONT_OUT + path.sep)
            : !STOREFRONT_PACKAGES.includes(to)
        ) {
          outside.add(`${path.relative(REPO_ROOT, file)} -> ${spec}`)
        }
      }
    }
    expect([...outside]).toEqual([])
  })

  it("the storefront sources import nothing from src/ or the server packages", () => {
    const bad = filesIn(STOREFRONT_SRC, /\.tsx?$/).flatMap((file) =>
      specifiers(file)
        .filter((spec) => {
          const to = target(file, spec)
          return path.isAbsolute(to)
            ? !to.startsWith(STOREFRONT_SRC + path.sep)
            : /^@medusajs\/(framework|medusa|utils|types|modules-sdk|core-flows)/.test(
                to
              )
        })
        .map((spec) => `${path.relative(REPO_ROOT, file)} -> ${spec}`)
    )
    expect(bad).toEqual([])
  })

  it("the server bundle holds no storefront file and imports none, in source or built", () => {
    expect(
      filesIn(SERVER_OUT, /./).filter((f) =>
        f.includes(`${path.sep}storefront${path.sep}`)
      )
    ).toEqual([])
    const bad = [
      ...filesIn(SERVER_OUT, /\.(js|mjs)$/),
      ...filesIn(SERVER_SRC, /\.tsx?$/),
    ].flatMap((file) =>
      specifiers(file)
        .filter((spec) => {
          const to = target(file, spec)
          return (
            to.includes("medusa-plugin-xcover/storefront") ||
            to.startsWith(STOREFRONT_SRC) ||
            to.startsWith(STOREFRONT_OUT)
          )
        })
        .map((spec) => `${path.relative(REPO_ROOT, file)} -> ${spec}`)
    )
    expect(bad).toEqual([])
  })
})
