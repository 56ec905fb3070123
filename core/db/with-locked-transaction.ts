import { z } from 'zod';
import type { Pool, Tx } from './pool.js';
import { sql } from './sql.js';
import { withTransaction } from './with-transaction.js';

/**
 * withTransaction that first takes, right after BEGIN, in one statement:
 * 1. the event row FOR KEY SHARE: first, as in every seat transaction (event -> per-user locks ->
 *    holds -> seats), so an event cancellation, which takes it exclusively, never deadlocks;
 * 2. the transaction-level advisory locks, in ascending order (two batches never wait on each
 *    other in a cycle).
 * The order within the statement is the executor's: the event lock is the InitPlan of a
 * one-time filter (a Result node evaluates it before it reads a row of the function scan below
 * it), and the aggregate above calls pg_advisory_xact_lock per row of the scan over the sorted
 * array, in array order. One statement, not two: slonik sends one statement per round trip
 * (the pg pool sent BEGIN and both locks in one simple query), and this is the hold path.
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
  const eventId = sql.uuid(locks.eventId);
  return withTransaction(pool, work, attempts, async (tx) => {
    await tx.query(
      sql.type(LockedRow)`SELECT count(pg_advisory_xact_lock(k))::int AS locked FROM unnest(${sql.array(keys, 'int8')}) AS k
        WHERE (SELECT count(*) FROM (SELECT 1 FROM events WHERE id = ${eventId} FOR KEY SHARE) AS e) >= 0`,
    );
  });
}
