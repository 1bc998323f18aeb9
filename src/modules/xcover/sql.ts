import type { SqlEntityManager } from "@medusajs/framework/mikro-orm/postgresql"

/**
 * The part of MikroORM's entity manager the module uses: the models' plain reads and writes
 * (`models/entities.ts`), and `execute` for the statements that need PostgreSQL itself.
 */
export type SqlExecutor = Pick<
  SqlEntityManager,
  | "find"
  | "count"
  | "insert"
  | "nativeUpdate"
  | "nativeDelete"
  | "createQueryBuilder"
> & {
  execute(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>
}

export type SqlManager = SqlExecutor & {
  transactional<T>(work: (em: SqlManager) => Promise<T>): Promise<T>
}

/**
 * Serialises, until the transaction ends, everything that changes one cart's offers: the
 * per-cart limit of the store route and the order-placement decision.
 */
export async function lockCartOffers(
  em: SqlExecutor,
  cartId: string
): Promise<void> {
  // Raw SQL: advisory lock (pg_advisory_xact_lock), released when the transaction ends.
  await em.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [
    `xcover:${cartId}`,
  ])
}
