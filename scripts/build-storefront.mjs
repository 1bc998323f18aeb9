#!/usr/bin/env node
// Builds the storefront entry point (medusa-plugin-xcover/storefront) from storefront/ into
// .medusa/storefront, after `medusa plugin:build` (which builds src/ into .medusa/server). ES
// modules: the folder gets a package.json saying so, for Node and for bundlers' strict ESM.
import { spawnSync } from "node:child_process"
import { mkdirSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const out = path.join(root, ".medusa", "storefront")
rmSync(out, { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const { status } = spawnSync(
  process.execPath,
  [tsc, "-p", path.join(root, "storefront", "tsconfig.json")],
  { stdio: "inherit" }
)
if (status !== 0) {
  console.error("storefront build failed")
  process.exit(status ?? 1)
}
mkdirSync(out, { recursive: true })
writeFileSync(
  path.join(out, "package.json"),
  `${JSON.stringify({ type: "module", sideEffects: false }, null, 2)}\n`
)
console.log("Storefront entry point built into .medusa/storefront")
