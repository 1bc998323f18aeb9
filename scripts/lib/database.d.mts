// Types for database.mjs, so the TypeScript scripts can import it.
import type { DbEnv } from "./postgres"

export function portAnswers(
  port: number,
  host?: string,
  timeoutMs?: number
): Promise<boolean>
export function freePort(): Promise<number>
export function ensureDatabase(options?: {
  dataDir?: string
  log?: (message: string) => void
}): Promise<{
  env: DbEnv
  source: string
  stop(): Promise<void>
}>
/** A failure to start the embedded server, explained in its one-line message. */
export class EmbeddedPostgresError extends Error {}
