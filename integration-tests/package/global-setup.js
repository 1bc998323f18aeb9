// The package suites test what `npm pack` ships, so they build it first: a stale .medusa/server
// from an earlier build would otherwise be packed and tested instead of the current source.
const { spawnSync } = require("node:child_process")
const path = require("node:path")

module.exports = function buildPlugin() {
  const result = spawnSync("npm", ["run", "build"], {
    cwd: path.resolve(__dirname, "../.."),
    encoding: "utf8",
  })
  if (result.status !== 0) {
    throw new Error(
      `npm run build failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`
    )
  }
}
