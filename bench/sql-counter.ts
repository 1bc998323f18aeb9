// Counts every SQL statement this process sends to PostgreSQL, at the driver: every `query` of
// every node-postgres client (Medusa's modules and its Query go through knex and MikroORM, both
// on `pg`). pg_stat_statements needs a server restart (shared_preload_libraries), so the count is
// taken where the statements leave the process instead.
import path from "node:path"

export type Queryable = {
  prototype: { query: (...args: unknown[]) => unknown }
}

export type SqlCounter = {
  /** Statements sent since the counter was installed (BEGIN, COMMIT and SAVEPOINT included). */
  readonly statements: number
  /** Time from sending each statement to its answer, summed (the database's share, round trips included). */
  readonly sqlMs: number
  /** Statements by their first words (`SELECT … FROM "order"`), since `resetSamples`. */
  samples(): Record<string, number>
  resetSamples(): void
}

/** Every copy of `pg` the app can load (MikroORM may bring its own): each gets the counter. */
export function pgCopies(): Queryable[] {
  const places = [require.resolve("pg")]
  for (const from of ["@mikro-orm/postgresql", "@mikro-orm/knex", "knex"]) {
    try {
      places.push(
        require.resolve("pg", { paths: [path.dirname(require.resolve(from))] })
      )
    } catch {
      // not installed: nothing to patch there
    }
  }

  return [...new Set(places)].map(
    (p) => (require(p) as { Client: Queryable }).Client
  )
}

/** The text of a query as node-postgres accepts it (a string, or a config with `text`). */
export function textOf(arg: unknown): string {
  if (typeof arg === "string") {
    return arg
  }
  if (
    arg &&
    typeof arg === "object" &&
    typeof (arg as { text?: unknown }).text === "string"
  ) {
    return (arg as { text: string }).text
  }
  return "?"
}

/** What a statement is, for the breakdown: its verb and the first table it names. */
function kindOf(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim()
  const verb = flat.split(" ")[0]?.toUpperCase() ?? "?"
  const table = /\b(?:FROM|INTO|UPDATE|JOIN)\s+("?[\w.]+"?)/i
    .exec(flat)?.[1]
    ?.replace(/"/g, "")
  return table ? `${verb} ${table}` : verb
}

export function installSqlCounter(): SqlCounter {
  let statements = 0
  let sqlMs = 0
  let samples: Record<string, number> = {}
  for (const Client of pgCopies()) {
    const original = Client.prototype.query
    Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      statements++
      const kind = kindOf(textOf(args[0]))
      samples[kind] = (samples[kind] ?? 0) + 1
      const started = performance.now()
      const done = () => (sqlMs += performance.now() - started)
      // knex passes a callback; others take the promise.
      const last = args.length - 1
      const callback = args[last]
      if (typeof callback === "function") {
        args[last] = (...result: unknown[]) => {
          done()
          return (callback as (...r: unknown[]) => unknown)(...result)
        }
        return original.apply(this, args)
      }
      const answer = original.apply(this, args)
      if (answer && typeof (answer as Promise<unknown>).then === "function") {
        ;(answer as Promise<unknown>).then(done, done)
      }
      return answer
    }
  }
  return {
    get statements() {
      return statements
    },
    get sqlMs() {
      return sqlMs
    },
    samples: () => ({ ...samples }),
    resetSamples: () => {
      samples = {}
    },
  }
}
