// The XCover stand-in in a process of its own, so that in the benchmarks it does not share an
// event loop (or a core) with the code being measured. The parent talks to it over IPC.
import { fork, type ChildProcess } from "node:child_process"
import { XcoverStandIn, type Behaviour, type StandInOptions } from "../integration-tests/xcover-stand-in/server"

/** What the benchmarks need of each request the stand-in received. */
export type Arrival = { offerId: string | null; at: number; answer: number | string; remotePort: number | null; apiKey: string | null }

type Request = { id: number; cmd: "received" | "reset" } | { id: number; cmd: "scriptNext"; behaviours: Behaviour[] }
type Reply = { id: number; arrivals?: Arrival[] }

export class StandInProcess {
  private nextId = 0
  private readonly waiting = new Map<number, (reply: Reply) => void>()

  private constructor(private readonly child: ChildProcess, readonly baseUrl: string) {
    child.on("message", (msg: Reply) => {
      this.waiting.get(msg.id)?.(msg)
      this.waiting.delete(msg.id)
    })
  }

  static async start(options: StandInOptions): Promise<StandInProcess> {
    const child = fork(__filename, [], {
      execArgv: ["-r", "ts-node/register"],
      env: { ...process.env, XCOVER_STAND_IN_OPTIONS: JSON.stringify(options) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    })
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.once("message", (msg: { baseUrl: string }) => resolve(msg.baseUrl))
      child.once("exit", (code) => reject(new Error(`stand-in process exited with ${code}`)))
    })
    return new StandInProcess(child, baseUrl)
  }

  /** Every request received since the last reset, in arrival order. */
  received(): Promise<Arrival[]> {
    return this.ask({ cmd: "received" }).then((r) => r.arrivals ?? [])
  }

  async reset(): Promise<void> {
    await this.ask({ cmd: "reset" })
  }

  /** Answers for the next signed requests, whichever offer they are for (`XcoverStandIn.scriptNext`). */
  async scriptNext(...behaviours: Behaviour[]): Promise<void> {
    await this.ask({ cmd: "scriptNext", behaviours })
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const gone = new Promise((resolve) => this.child.once("exit", resolve))
      this.child.kill("SIGTERM")
      await gone
    }
  }

  private ask(request: DistributiveOmit<Request, "id">): Promise<Reply> {
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.child.send({ ...request, id } as Request)
    })
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never

async function runChild(): Promise<void> {
  const standIn = await new XcoverStandIn(JSON.parse(process.env.XCOVER_STAND_IN_OPTIONS ?? "{}")).start(0)
  process.on("message", (msg: Request) => {
    if (msg.cmd === "reset") {
      standIn.reset()
      process.send?.({ id: msg.id } satisfies Reply)
    } else if (msg.cmd === "scriptNext") {
      standIn.scriptNext(...msg.behaviours)
      process.send?.({ id: msg.id } satisfies Reply)
    } else {
      const arrivals = standIn.received.map((r) => ({ offerId: r.offerId, at: r.at, answer: r.answer, remotePort: r.remotePort, apiKey: r.apiKey }))
      process.send?.({ id: msg.id, arrivals } satisfies Reply)
    }
  })
  process.on("SIGTERM", () => void standIn.stop().then(() => process.exit(0)))
  process.on("disconnect", () => void standIn.stop().then(() => process.exit(0)))
  process.send?.({ baseUrl: standIn.baseUrl })
}

if (require.main === module) {
  void runChild()
}
