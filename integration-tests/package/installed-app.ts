import { spawn, type ChildProcess } from "node:child_process"
import {
  cp,
  mkdir,
  mkdtemp,
  readFile,
  rename,
  rm,
  symlink,
} from "node:fs/promises"
import os from "node:os"
import path from "node:path"
import { eventually } from "../helpers/eventually"
import { dependencyClosure } from "./dependency-closure"

export const REPO_ROOT = path.resolve(__dirname, "../..")
const TEMPLATE_DIR = path.join(__dirname, "app")
const PLUGIN_NAME = "medusa-plugin-xcover"

type RunOptions = { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }

/** Runs a command to completion and returns its output; rejects with the output's tail otherwise. */
export function run(
  command: string,
  args: string[],
  { cwd, env = process.env, timeoutMs = 300_000 }: RunOptions
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    })
    let output = ""
    child.stdout.on("data", (d: Buffer) => (output += d))
    child.stderr.on("data", (d: Buffer) => (output += d))
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.on("error", reject)
    child.on("close", (code, signal) => {
      clearTimeout(timer)
      if (code === 0) {
        resolve(output)
      } else {
        const how = signal
          ? `killed by ${signal} (timeout ${timeoutMs} ms?)`
          : `exit code ${code}`
        reject(
          new Error(
            `${command} ${args.join(" ")} in ${cwd}: ${how}\n${output.slice(-4000)}`
          )
        )
      }
    })
  })
}

/**
 * A throwaway Medusa store in a temporary folder that installs the plugin the way a user does:
 * from the packed tarball, registered by package name in its medusa-config.ts.
 *
 * Installing Medusa from the registry would take minutes, so its node_modules links the packages
 * this repo has installed (the same versions a user gets) and unpacks the tarball as
 * node_modules/medusa-plugin-xcover: the app sees only what `npm pack` shipped.
 */
export class InstalledApp {
  private server: ChildProcess | null = null
  private serverLog = ""
  private readonly killOnExit = () => this.server?.kill("SIGKILL")

  private constructor(readonly dir: string) {}

  /** Packs the plugin (already built) into a new app folder and installs it there. */
  static async create(): Promise<InstalledApp> {
    const app = new InstalledApp(
      await mkdtemp(path.join(os.tmpdir(), "xcover-installed-app-"))
    )
    try {
      await app.install()
      return app
    } catch (err) {
      // The caller never gets the app to clean up: remove the folder here.
      await app.destroy()
      throw err
    }
  }

  private async install(): Promise<void> {
    await cp(TEMPLATE_DIR, this.dir, { recursive: true })
    const [packed] = JSON.parse(
      await run("npm", ["pack", "--json", "--pack-destination", this.dir], {
        cwd: REPO_ROOT,
      })
    )
    await rename(path.join(this.dir, packed.filename), this.tarball)
    const pluginDir = path.join(this.dir, "node_modules", PLUGIN_NAME)
    await mkdir(pluginDir, { recursive: true })
    await run(
      "tar",
      ["-xzf", this.tarball, "-C", pluginDir, "--strip-components=1"],
      { cwd: this.dir }
    )
    await this.linkInstalledPackages(
      JSON.parse(await readFile(path.join(pluginDir, "package.json"), "utf8"))
    )
  }

  get tarball(): string {
    return path.join(this.dir, `${PLUGIN_NAME}.tgz`)
  }

  /**
   * Links the repo's installed copy of every package a store with this app's package.json and
   * the plugin's dependencies and peers would get, and nothing else (no test tooling): a runtime
   * import the plugin does not declare fails here as it would in a store.
   */
  private async linkInstalledPackages(plugin: {
    dependencies?: object
    peerDependencies?: object
  }): Promise<void> {
    const source = path.join(REPO_ROOT, "node_modules")
    const target = path.join(this.dir, "node_modules")
    const app = JSON.parse(
      await readFile(path.join(this.dir, "package.json"), "utf8")
    )
    const roots = [
      app.dependencies,
      app.devDependencies,
      plugin.dependencies,
      plugin.peerDependencies,
    ]
      .flatMap((deps) => Object.keys(deps ?? {}))
      .filter((name) => name !== PLUGIN_NAME)
    await mkdir(target, { recursive: true })
    await symlink(path.join(source, ".bin"), path.join(target, ".bin"))
    for (const name of await dependencyClosure(source, roots)) {
      await mkdir(path.dirname(path.join(target, name)), { recursive: true })
      await symlink(path.join(source, name), path.join(target, name))
    }
  }

  /** `npx medusa <args>` in the app folder (or a subfolder of it). */
  medusa(
    args: string[],
    env: NodeJS.ProcessEnv,
    subdir = "."
  ): Promise<string> {
    return run("npx", ["--no-install", "medusa", ...args], {
      cwd: path.join(this.dir, subdir),
      env: appEnv(env),
    })
  }

  /**
   * Starts the production build (`medusa build` output in .medusa/server, as a store deploys it)
   * with `medusa start` on the given port, and waits until /health answers.
   */
  async start(port: number, env: NodeJS.ProcessEnv): Promise<string> {
    const serverDir = path.join(this.dir, ".medusa", "server")
    // The build output has no node_modules of its own; a store would `npm install` there.
    await symlink(
      path.join(this.dir, "node_modules"),
      path.join(serverDir, "node_modules")
    )
    // node, not npx: npx would stand between this process and the server and outlive a kill.
    const cli = path.join(
      this.dir,
      "node_modules",
      "@medusajs",
      "cli",
      "cli.js"
    )
    const server = spawn(process.execPath, [cli, "start"], {
      cwd: serverDir,
      env: appEnv({ ...env, PORT: String(port) }),
      stdio: ["ignore", "pipe", "pipe"],
    })
    this.server = server
    process.once("exit", this.killOnExit)
    server.stdout?.on("data", (d: Buffer) => (this.serverLog += d))
    server.stderr?.on("data", (d: Buffer) => (this.serverLog += d))
    const exited = new Promise<never>((_, reject) =>
      server.once("exit", (code, signal) =>
        reject(
          new Error(
            `medusa start exited (${signal ?? code}):\n${this.logTail()}`
          )
        )
      )
    )
    exited.catch(() => undefined)
    const baseUrl = `http://127.0.0.1:${port}`
    await Promise.race([
      exited,
      eventually(
        async () => {
          // A timeout per try: whatever else might hold the port could accept and never answer.
          const res = await fetch(`${baseUrl}/health`, {
            signal: AbortSignal.timeout(5_000),
          })
          if (!res.ok) {
            throw new Error(`/health answered ${res.status}`)
          }
        },
        { timeoutMs: 180_000, intervalMs: 250 }
      ),
    ]).catch((err: Error) => {
      throw new Error(`${err.message}\n--- server log ---\n${this.logTail()}`)
    })
    return baseUrl
  }

  logTail(chars = 4000): string {
    return this.serverLog.slice(-chars)
  }

  /** Stops the server (TERM, then KILL after a deadline) and deletes the app folder. */
  async destroy(): Promise<void> {
    const server = this.server
    this.server = null
    process.removeListener("exit", this.killOnExit)
    if (server && server.exitCode === null && server.signalCode === null) {
      const gone = new Promise((resolve) => server.once("exit", resolve))
      server.kill("SIGTERM")
      const timer = setTimeout(() => server.kill("SIGKILL"), 10_000)
      await gone
      clearTimeout(timer)
    }
    await rm(this.dir, { recursive: true, force: true })
  }
}

/** The environment a store's own shell would have: none of jest's variables, production mode. */
function appEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    MEDUSA_DISABLE_TELEMETRY: "true",
    ...extra,
  }
  for (const key of ["JEST_WORKER_ID", "TEST_TYPE", "NODE_OPTIONS"]) {
    delete env[key]
  }
  return env
}
