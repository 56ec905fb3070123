import type { Pool, PoolClient } from './pool.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected
const INT8 = /^-?\d{1,19}$/;

/**
 * withTransaction whose BEGIN also takes a transaction-level advisory lock, in one round trip
 * (a simple-protocol query of two statements; the key is an int8 we computed, never user text).
 * Every later statement of `work` reads a snapshot taken after the lock was granted.
 */
export async function withLockedTransaction<T>(
  pool: Pool,
  lockKey: string,
  work: (tx: PoolClient) => Promise<T>,
  attempts = 3,
): Promise<T> {
  if (!INT8.test(lockKey)) throw new Error(`not an int8 lock key: ${lockKey}`);
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query(`BEGIN; SELECT pg_advisory_xact_lock(${lockKey})`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code;
      if (attempt < attempts && code && RETRYABLE.has(code)) continue;
      throw err;
    } finally {
      client.release();
    }
  }
}
