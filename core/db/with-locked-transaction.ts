import { z } from 'zod';
import type { Pool, Tx } from './pool.js';
import { sql } from './sql.js';
import { withTransaction } from './with-transaction.js';

/**
 * withTransaction that first takes, right after BEGIN:
 * 1. the event row FOR KEY SHARE: first, as in every seat transaction (event -> per-user locks ->
 *    holds -> seats), so an event cancellation, which takes it exclusively, never deadlocks;
 * 2. the transaction-level advisory locks, in ascending order (two batches never wait on each
 *    other in a cycle): one statement for all keys, a function scan over the sorted array runs
 *    in array order.
 * Every later statement of `work` reads a snapshot taken after the locks were granted.
 */
const LockedRow = z.object({ locked: z.number() });

export function withLockedTransaction<T>(
  pool: Pool,
  locks: { eventId: string; keys: readonly string[] },
  work: (tx: Tx) => Promise<T>,
  attempts = 3,
): Promise<T> {
  const keys = [...new Set(locks.keys)]
    .map((k) => BigInt(k)) // throws on anything but an integer
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map(String);
  return withTransaction(pool, work, attempts, async (tx) => {
    await tx.query(sql.type(LockedRow)`SELECT 1 AS locked FROM events WHERE id = ${sql.uuid(locks.eventId)} FOR KEY SHARE`);
    if (keys.length > 0) {
      await tx.query(
        sql.type(LockedRow)`SELECT count(pg_advisory_xact_lock(k))::int AS locked FROM unnest(${sql.array(keys, 'int8')}) AS k`,
      );
    }
  });
}
