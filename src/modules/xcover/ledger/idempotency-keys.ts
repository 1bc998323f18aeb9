/**
 * For a hand retry (SET clause): a key XCover answered with a refusal (a 4xx other than 401,
 * 403, 423 and 429; a 409 replaying a refusal too) is spent, since XCover replays a key's first
 * answer for 48 h: the retry gets a new one. A key whose answers were lost (no answer, 5xx) or
 * throttled stays, so a request that did go through is still recognised.
 */
export const RENEW_SPENT_KEY_SQL = `idempotency_key = CASE
  WHEN last_status BETWEEN 400 AND 499 AND last_status NOT IN (401, 403, 423, 429)
  THEN regexp_replace(idempotency_key, '-r[0-9a-f]{8}$', '') || '-r' || substr(md5(random()::text || clock_timestamp()::text), 1, 8)
  ELSE idempotency_key END`
