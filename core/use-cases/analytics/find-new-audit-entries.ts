import { z } from 'zod';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { type AuditEntryForRollup, ROLLUP_ACTIONS } from '../../domain/audit-delta.js';

export interface NewAuditEntries {
  entries: AuditEntryForRollup[];
  /** Where the next read starts (an xid8 as text). */
  nextXact: string;
}

const Row = z.object({
  event_id: z.string(),
  at_ms: z.number(),
  action: z.string(),
  data: z.record(z.string(), z.unknown()).nullable(),
  xact: z.string(),
});
type Row = z.infer<typeof Row>;
/** One row per hold, confirm and release of every sale: checked the cheap way. */
const LightRow = lightRow(Row);

/**
 * Audit entries written by transactions in [fromXact, uptoXact): every one of them has finished
 * (uptoXact is a snapshot's xmin), so nothing of that range can still appear. A full batch stops
 * before its last transaction, which is read whole next time; a single transaction larger than
 * the batch is read whole at once.
 */
export async function findNewAuditEntries(db: Db, fromXact: string, uptoXact: string, batch: number): Promise<NewAuditEntries> {
  const range = (from: string, upto: string) =>
    sql.fragment`SELECT event_id, (extract(epoch FROM at) * 1000)::float8 AS at_ms, action, data, xact_id::text AS xact
                 FROM audit_log
                WHERE xact_id >= ${from}::xid8 AND xact_id < ${upto}::xid8 AND action = ANY(${sql.array(ROLLUP_ACTIONS, 'text')})
                  AND event_id IS NOT NULL
                ORDER BY xact_id, id`;
  const rows = await db.any(sql.type(LightRow)`${range(fromXact, uptoXact)} LIMIT ${batch}`);
  if (rows.length < batch) return { entries: rows.map(toEntry), nextXact: uptoXact };
  const last = (rows[rows.length - 1] as Row).xact;
  const complete = rows.filter((r) => r.xact !== last);
  if (complete.length > 0) return { entries: complete.map(toEntry), nextXact: last };
  const whole = await db.any(sql.type(LightRow)`${range(last, `${BigInt(last) + 1n}`)}`);
  return { entries: whole.map(toEntry), nextXact: `${BigInt(last) + 1n}` };
}

function toEntry(r: Row): AuditEntryForRollup {
  return { eventId: r.event_id, atMs: r.at_ms, action: r.action, data: r.data ?? {} };
}
