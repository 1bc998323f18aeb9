/** The part of MikroORM's entity manager the module uses for its atomic SQL. */
export type SqlExecutor = {
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
