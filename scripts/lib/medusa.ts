import { spawn, type ChildProcess } from "node:child_process"
import { createWriteStream, readFileSync } from "node:fs"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import type { SeededStore } from "../../integration-tests/helpers/seed-store"
import { portAnswers } from "./ports.cjs"

/** The repository root (this file lives in scripts/lib). */
export const ROOT = path.resolve(__dirname, "..", "..")

/** The Medusa CLI of this checkout, run with the current node. */
const CLI = require.resolve("@medusajs/cli/cli.js")

export type MedusaRun = {
  /** The Medusa project folder (holds medusa-config.ts). */
  cwd: string
  env: Record<string, string>
  /** Output goes here, not to the console: the caller prints progress lines instead. */
  logFile: string
}

/** Every Medusa process started here and still running, so an interrupt can end them all. */
const started = new Set<ChildProcess>()

/** Stops every Medusa process this process started (one-shot commands and servers). */
export async function stopStartedMedusa(): Promise<void> {
  await Promise.all([...started].map((child) => stopGroup(child)))
}

function spawnMedusa(args: string[], run: MedusaRun): ChildProcess {
  const log = createWriteStream(run.logFile, { flags: "a" })
  log.write(`\n$ medusa ${args.join(" ")}\n`)
  // A process group of its own: Ctrl-C reaches only us, and stop() ends the whole group.
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: run.cwd,
    env: { ...process.env, MEDUSA_DISABLE_TELEMETRY: "true", ...run.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  })
  child.stdout?.pipe(log)
  child.stderr?.pipe(log)
  started.add(child)
  child.once("exit", () => started.delete(child))
  return child
}

/** The last lines of a log, to show why a step failed. */
export function logTail(logFile: string, lines = 25): string {
  try {
    return readFileSync(logFile, "utf8")
      .trimEnd()
      .split("\n")
      .slice(-lines)
      .join("\n")
  } catch {
    return "(no log)"
  }
}

/** Runs a one-shot Medusa command (`db:migrate`, `exec ...`) and rejects when it fails. */
export function runMedusa(args: string[], run: MedusaRun): Promise<void> {
  const child = spawnMedusa(args, run)
  return new Promise((resolve, reject) => {
    child.once("error", reject)
    child.once("exit", (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `medusa ${args[0]} exited with ${signal ?? code}; last lines of ${run.logFile}:\n${logTail(run.logFile)}`
            )
          )
    )
  })
}

export type SeedResult = {
  store: SeededStore
  seeded: boolean
  adminCreated: boolean
}

/**
 * Seeds the store (once per database) with `medusa exec scripts/lib/seed-exec.ts`, which reuses
 * the integration tests' seeding; XCOVER_SEED_ADMIN_EMAIL/PASSWORD in `run.env` add an admin.
 */
export async function seedStoreWithMedusa(
  run: MedusaRun,
  outFile: string
): Promise<SeedResult> {
  await runMedusa(["exec", path.join(ROOT, "scripts/lib/seed-exec.ts")], {
    ...run,
    env: { ...run.env, XCOVER_SEED_FILE: outFile },
  })
  return JSON.parse(readFileSync(outFile, "utf8")) as SeedResult
}

export type MedusaServer = {
  url: string
  pid: number
  /** Resolves when the server process ends, for whatever reason. */
  exited: Promise<void>
  /** SIGTERM to the process group (SIGKILL after 10 s): a restart. */
  stop(): Promise<void>
  /** SIGKILL to the process group: a crash. */
  kill(): Promise<void>
}

/**
 * Starts `medusa start` and resolves once `/health` answers. With NODE_ENV=development Medusa
 * serves the admin through Vite on demand (what `medusa develop` runs, minus its file watcher),
 * so no admin build step is needed.
 */
export async function startMedusaServer(
  run: MedusaRun & { port: number; host?: string; timeoutMs?: number }
): Promise<MedusaServer> {
  const host = run.host ?? "localhost"
  const child = spawnMedusa(
    ["start", "--port", String(run.port), "--host", host],
    run
  )
  let exited: string | null = null
  const exitedPromise = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = String(signal ?? code)
      resolve()
    })
  )
  const url = `http://${host}:${run.port}`
  const server: MedusaServer = {
    url,
    pid: child.pid ?? -1,
    exited: exitedPromise,
    stop: () => stopGroup(child),
    kill: () => stopGroup(child, "SIGKILL"),
  }
  const deadline = Date.now() + (run.timeoutMs ?? 180_000)
  for (;;) {
    if (exited !== null) {
      throw new Error(
        `medusa start exited with ${exited} before it was ready; last lines of ${run.logFile}:\n${logTail(run.logFile)}`
      )
    }
    if (await answers(`${url}/health`)) {
      return server
    }
    if (Date.now() > deadline) {
      await server.stop()
      throw new Error(
        `Medusa did not answer on ${url}/health in time; last lines of ${run.logFile}:\n${logTail(run.logFile)}`
      )
    }
    await sleep(250)
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) })
    await res.arrayBuffer()
    return res.ok
  } catch {
    return false
  }
}

/** SIGTERM (or the given signal) to the child's process group, SIGKILL if it is still there after 10 s. */
async function stopGroup(
  child: ChildProcess,
  first: NodeJS.Signals = "SIGTERM"
): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
    return
  }
  const gone = new Promise<void>((resolve) =>
    child.once("exit", () => resolve())
  )
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(-(child.pid as number), sig)
    } catch {
      // already gone
    }
  }
  signal(first)
  const killed = await Promise.race([
    gone.then(() => true),
    sleep(10_000).then(() => false),
  ])
  if (!killed) {
    signal("SIGKILL")
    await gone
  }
}

/** True when something accepts connections on localhost:port (IPv4 or IPv6). */
export async function portInUse(port: number): Promise<boolean> {
  return (
    (await portAnswers(port, "127.0.0.1")) || (await portAnswers(port, "::1"))
  )
}
