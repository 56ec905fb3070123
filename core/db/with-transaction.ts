import type { Pool, PoolClient } from './pool.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs `work` in one transaction. Serialization failures and deadlocks are retried a few times
 * (the whole unit re-runs, so it must not have side effects outside the database). `begin` is
 * the statement that opens it (withLockedTransaction adds a lock to it, in the same round trip).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
  attempts = 3,
  begin = 'BEGIN',
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    try {
      await client.query(begin);
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
