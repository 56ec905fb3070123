import { isConnectionLost, overloadedByLostConnection } from './connection-lost.js';
import type { Pool, PoolClient } from './pool.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs `work` in one transaction. Serialization failures and deadlocks are retried a few times
 * (the whole unit re-runs, so it must not have side effects outside the database). `begin` is
 * the statement that opens it (withLockedTransaction adds locks to it, in the same round trip).
 *
 * A checked-out client has no `error` listener of the pool's: a backend that dies mid-transaction
 * (failover, pg_terminate_backend) would emit an unhandled 'error' and end the process. We listen
 * while we hold it, destroy it instead of returning it to the pool, and answer a retryable
 * OVERLOADED (the outcome of an interrupted COMMIT is unknown: a retry with the same
 * idempotency key gets the stored reply if it did commit).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: PoolClient) => Promise<T>,
  attempts = 3,
  begin = 'BEGIN',
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let broken: Error | null = null;
    const onError = (err: Error) => {
      broken = err;
    };
    client.on('error', onError);
    try {
      await client.query(begin);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      if (broken || isConnectionLost(err)) {
        broken ??= err as Error;
        throw overloadedByLostConnection(err);
      }
      await client.query('ROLLBACK').catch(() => {});
      const code = (err as { code?: string }).code;
      if (attempt < attempts && code && RETRYABLE.has(code)) continue;
      throw err;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed, never handed to the next transaction.
      client.release(broken ?? undefined);
    }
  }
}
