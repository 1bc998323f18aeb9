import { readFile } from "node:fs/promises"
import path from "node:path"

type Manifest = {
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    return JSON.parse(await readFile(path.join(dir, "package.json"), "utf8"))
  } catch {
    return null
  }
}

/** Where Node would find `name` from `fromDir`: the nearest node_modules up to `modulesDir`. */
async function locate(
  name: string,
  fromDir: string,
  modulesDir: string
): Promise<string | null> {
  for (let dir = fromDir; dir.startsWith(modulesDir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name)
    if (await readManifest(candidate)) {
      return candidate
    }
  }
  const topLevel = path.join(modulesDir, name)
  return (await readManifest(topLevel)) ? topLevel : null
}

/**
 * The top-level packages of an installed `modulesDir` that `roots` need, transitively: what npm
 * would install for a project depending on `roots` (required peers included, as npm 7+ does).
 * A package nested inside another is followed but not listed: it travels with its dependant.
 */
export async function dependencyClosure(
  modulesDir: string,
  roots: string[]
): Promise<string[]> {
  const topLevel = new Set<string>()
  const visited = new Set<string>()
  const queue = roots.map((name) => ({ name, from: modulesDir }))
  for (let item = queue.pop(); item; item = queue.pop()) {
    const dir = await locate(item.name, item.from, modulesDir)
    if (!dir || visited.has(dir)) {
      continue // absent packages are optional ones npm skipped on this platform
    }
    visited.add(dir)
    if (dir === path.join(modulesDir, item.name)) {
      topLevel.add(item.name)
    }
    const manifest = (await readManifest(dir)) as Manifest
    const optionalPeers = manifest.peerDependenciesMeta ?? {}
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter(
      (p) => !optionalPeers[p]?.optional
    )
    for (const dep of [
      ...Object.keys({
        ...manifest.dependencies,
        ...manifest.optionalDependencies,
      }),
      ...peers,
    ]) {
      queue.push({ name: dep, from: dir })
    }
  }
  return [...topLevel].sort()
}
