import { ConnectionUnusable, connectKeeping } from './connect-keeping.js';
import { isConnectionLost, overloadedByLostConnection } from './connection-lost.js';
import { pgErrorCode } from './pg-error-code.js';
import type { Pool, Tx } from './pool.js';
import { sql } from './sql.js';

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock detected

/**
 * Runs `work` in one transaction. Serialization failures and deadlocks are retried a few times
 * (the whole unit re-runs on a fresh connection, so it must not have side effects outside the
 * database). `lock` runs first, right after BEGIN (withLockedTransaction takes its locks there).
 *
 * BEGIN/COMMIT/ROLLBACK are ours, on one slonik connection (connectKeeping: a transaction that
 * failed on a healthy connection rolls back and hands the connection back). A connection lost
 * mid-transaction (failover, pg_terminate_backend) is destroyed by slonik's driver, never
 * returned to the pool, and the caller gets a retryable OVERLOADED (the outcome of an
 * interrupted COMMIT is unknown: a retry with the same idempotency key gets the stored reply if
 * it did commit).
 */
export async function withTransaction<T>(
  pool: Pool,
  work: (tx: Tx) => Promise<T>,
  attempts = 3,
  lock?: (tx: Tx) => Promise<void>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectKeeping(pool.connect, async (tx) => {
        await tx.query(sql.typeAlias('void')`BEGIN`);
        try {
          if (lock) await lock(tx);
          const result = await work(tx);
          await tx.query(sql.typeAlias('void')`COMMIT`);
          return result;
        } catch (err) {
          if (isConnectionLost(err)) throw err;
          await tx.query(sql.typeAlias('void')`ROLLBACK`).catch((rollbackErr: unknown) => {
            throw isConnectionLost(rollbackErr) ? rollbackErr : new ConnectionUnusable(err);
          });
          throw err;
        }
      });
    } catch (err) {
      if (isConnectionLost(err)) throw overloadedByLostConnection(err);
      if (err instanceof ConnectionUnusable) throw err.original;
      const code = pgErrorCode(err);
      if (attempt < attempts && code && RETRYABLE.has(code)) continue;
      throw err;
    }
  }
}
