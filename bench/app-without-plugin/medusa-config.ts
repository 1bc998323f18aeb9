// The repository's store (../../medusa-config.ts) without the plugin: its xcover module is left
// out and, because this folder has no src/, none of the plugin's subscribers, routes or jobs
// load. Everything else (database, http, admin settings, Medusa's own modules) is the same
// object. The checkout benchmark compares against it.
import path from "node:path"
import type { ConfigModule } from "@medusajs/framework/types"

// defineConfig resolves "./src/modules/xcover" against the working directory: load it from there.
const here = process.cwd()
process.chdir(path.resolve(__dirname, "..", ".."))
let withPlugin: ConfigModule
try {
  withPlugin = require("../../medusa-config")
} finally {
  process.chdir(here)
}

const { xcover: _plugin, ...modules } = withPlugin.modules as Record<
  string,
  unknown
>

module.exports = { ...withPlugin, modules }
