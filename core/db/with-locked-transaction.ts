import type { Pool, PoolClient } from './pool.js';
import { withTransaction } from './with-transaction.js';

const INT8 = /^-?\d{1,19}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * withTransaction whose BEGIN also takes, in one round trip (a simple-protocol query of several
 * statements; the values are a uuid and int8 keys we checked, never other user text):
 * 1. the event row FOR KEY SHARE: first, as in every seat transaction (event -> per-user locks ->
 *    holds -> seats), so an event cancellation, which takes it exclusively, never deadlocks;
 * 2. the transaction-level advisory locks, in ascending order (two batches never wait on each
 *    other in a cycle).
 * Every later statement of `work` reads a snapshot taken after the locks were granted.
 */
export function withLockedTransaction<T>(
  pool: Pool,
  locks: { eventId: string; keys: readonly string[] },
  work: (tx: PoolClient) => Promise<T>,
  attempts = 3,
): Promise<T> {
  if (!UUID.test(locks.eventId)) throw new Error(`not a uuid: ${locks.eventId}`);
  const keys = [...new Set(locks.keys)];
  for (const k of keys) if (!INT8.test(k)) throw new Error(`not an int8 lock key: ${k}`);
  keys.sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
  const statements = ['BEGIN', `SELECT 1 FROM events WHERE id = '${locks.eventId}' FOR KEY SHARE`];
  // One statement for all keys: a function scan over the array runs in array order (ascending).
  if (keys.length === 1) statements.push(`SELECT pg_advisory_xact_lock(${keys[0]})`);
  else if (keys.length > 1) statements.push(`SELECT pg_advisory_xact_lock(k) FROM unnest('{${keys.join(',')}}'::bigint[]) AS k`);
  return withTransaction(pool, work, attempts, statements.join('; '));
}
