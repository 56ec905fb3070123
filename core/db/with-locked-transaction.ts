import type { Pool, PoolClient } from './pool.js';
import { withTransaction } from './with-transaction.js';

const INT8 = /^-?\d{1,19}$/;

/**
 * withTransaction whose BEGIN also takes a transaction-level advisory lock, in one round trip
 * (a simple-protocol query of two statements; the key is an int8 we computed, never user text).
 * Every later statement of `work` reads a snapshot taken after the lock was granted.
 */
export function withLockedTransaction<T>(
  pool: Pool,
  lockKey: string,
  work: (tx: PoolClient) => Promise<T>,
  attempts = 3,
): Promise<T> {
  if (!INT8.test(lockKey)) throw new Error(`not an int8 lock key: ${lockKey}`);
  return withTransaction(pool, work, attempts, `BEGIN; SELECT pg_advisory_xact_lock(${lockKey})`);
}
