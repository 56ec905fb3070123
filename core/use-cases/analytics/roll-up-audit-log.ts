import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { foldIntoMinutes } from '../../domain/audit-delta.js';
import { addRollupCounts } from './add-rollup-counts.js';
import { findNewAuditEntries } from './find-new-audit-entries.js';

const BATCH = 20_000;

/**
 * Applies audit entries of finished transactions to the roll-ups, exactly once: the cursor row
 * is locked, read, advanced and the counts added in one transaction, so two workers running a
 * tick at once apply each range once (the second finds an empty range after the first commits).
 * Returns how many entries were applied.
 */
export async function rollUpAuditLog(pool: Pool): Promise<number> {
  return withTransaction(pool, async (tx) => {
    // First statement, before this transaction has an xid of its own (it would hold xmin back).
    const upto = await tx.oneFirst(
      sql.type(z.object({ upto: z.string() }))`SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS upto`,
    );
    const from = await tx.oneFirst(
      sql.type(z.object({ next: z.string() }))`SELECT next_xact::text AS next FROM analytics_cursor WHERE id = 1 FOR UPDATE`,
    );
    if (BigInt(from) >= BigInt(upto)) return 0;
    const { entries, nextXact } = await findNewAuditEntries(tx, from, upto, BATCH);
    await addRollupCounts(tx, foldIntoMinutes(entries));
    await tx.query(
      sql.typeAlias('void')`UPDATE analytics_cursor SET next_xact = ${nextXact}::xid8, updated_at = now() WHERE id = 1`,
    );
    return entries.length;
  });
}
