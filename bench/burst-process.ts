// One more server process for the shared-budget bursts: the xcover module loaded on the bench's
// database in an OS process of its own (as a second Medusa instance would have it), dispatching
// orders (opt-outs, bookings, or both) as a server does (`dispatchBurst`) when the parent says
// so. The parent talks to it over IPC.
import { fork, type ChildProcess } from "node:child_process"
import type { XcoverPluginOptions } from "../src/modules/xcover"
import type { BurstKind } from "./dispatch"

type Command =
  { cmd: "dispatch"; orderIds: string[]; kinds: BurstKind[] } | { cmd: "stop" }
type Message = { ready: true } | { dispatched: true } | { error: string }

export class BurstProcess {
  private readonly listeners = new Set<(msg: Message) => void>()
  private exited = false

  private constructor(private readonly child: ChildProcess) {
    child.on("message", (msg: Message) => {
      for (const listener of this.listeners) {
        listener(msg)
      }
    })
    child.once("exit", (code) => {
      this.exited = true
      for (const listener of this.listeners) {
        listener({ error: `burst process exited with ${code}` })
      }
    })
  }

  /** Forks the process and waits until its module is loaded. */
  static async start(
    databaseUrl: string,
    options: XcoverPluginOptions
  ): Promise<BurstProcess> {
    const child = fork(__filename, [], {
      execArgv: ["-r", "ts-node/register"],
      env: {
        ...process.env,
        XCOVER_BURST_DATABASE_URL: databaseUrl,
        XCOVER_BURST_OPTIONS: JSON.stringify(options),
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    const sender = new BurstProcess(child)
    await sender.next((msg) => "ready" in msg)
    return sender
  }

  /**
   * Dispatches these orders' operations of these kinds (and sweeps them) until `stop`; resolves
   * once everything it sent is answered.
   */
  async dispatch(orderIds: string[], kinds: BurstKind[]): Promise<void> {
    const done = this.next((msg) => "dispatched" in msg)
    this.child.send({ cmd: "dispatch", orderIds, kinds } satisfies Command)
    await done
  }

  stop(): void {
    if (!this.exited) {
      this.child.send({ cmd: "stop" } satisfies Command)
    }
  }

  async exit(): Promise<void> {
    if (!this.exited) {
      const gone = new Promise((resolve) => this.child.once("exit", resolve))
      this.child.kill("SIGTERM")
      await gone
    }
  }

  /** The next message that `wanted` accepts; rejects on an error message or exit. */
  private next(wanted: (msg: Message) => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const listener = (msg: Message) => {
        if ("error" in msg) {
          this.listeners.delete(listener)
          reject(new Error(msg.error))
        } else if (wanted(msg)) {
          this.listeners.delete(listener)
          resolve()
        }
      }
      if (this.exited) {
        reject(new Error("burst process has exited"))
      } else {
        this.listeners.add(listener)
      }
    })
  }
}

async function runChild(): Promise<void> {
  // Loaded here, not at the top: ./dispatch imports this file for the parent's side.

  const {
    loadXcoverModule,
    dispatchBurst,
  }: typeof import("./dispatch") = require("./dispatch")
  const send = (msg: Message) => process.send?.(msg)
  const xcover = await loadXcoverModule(
    process.env.XCOVER_BURST_DATABASE_URL ?? "",
    JSON.parse(process.env.XCOVER_BURST_OPTIONS ?? "{}")
  )
  const stop = new AbortController()
  process.on("message", (msg: Command) => {
    if (msg.cmd === "stop") {
      stop.abort()
      return
    }
    dispatchBurst(xcover.service, msg.orderIds, stop.signal, msg.kinds).then(
      () => send({ dispatched: true }),
      (err: unknown) =>
        send({
          error:
            err instanceof Error ? (err.stack ?? err.message) : String(err),
        })
    )
  })
  let exiting = false
  const exit = () => {
    if (!exiting) {
      exiting = true
      void xcover.shutdown().finally(() => process.exit(0))
    }
  }
  process.on("SIGTERM", exit)
  process.on("disconnect", exit)
  send({ ready: true })
}

if (require.main === module) {
  runChild().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
