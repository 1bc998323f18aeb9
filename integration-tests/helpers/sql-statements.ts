import { AsyncLocalStorage } from "node:async_hooks"
import { pgCopies, textOf } from "../../bench/sql-counter"

// The statements of one piece of work only: Medusa runs in the test's process, where jobs,
// subscribers and the dispatcher send their own SQL at any moment; the async context tells them apart.
const scope = new AsyncLocalStorage<string[]>()
let installed = false

function install(): void {
  for (const Client of pgCopies()) {
    const original = Client.prototype.query
    Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      scope.getStore()?.push(textOf(args[0]))
      return original.apply(this, args)
    }
  }
  installed = true
}

/**
 * Runs `work` and returns the SQL statements it sent to PostgreSQL, counted at the driver
 * (node-postgres' `Client.prototype.query`, as bench/sql-counter.ts does), BEGIN and COMMIT included.
 */
export async function statementsOf<T>(
  work: () => Promise<T>
): Promise<{ result: T; statements: string[] }> {
  if (!installed) {
    install()
  }
  const statements: string[] = []
  const result = await scope.run(statements, work)
  return { result, statements }
}
