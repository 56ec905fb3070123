import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { MinuteCounts } from '../../domain/audit-delta.js';

const FIELDS = [
  'holds',
  'held_seats',
  'releases',
  'expiries',
  'confirms',
  'revenue_cents',
  'cancellations',
  'refund_cents',
] as const;

/**
 * Adds minute rows to `analytics_minutes` and their sums to `analytics_event_totals` in one
 * statement (running totals: revenue is never recomputed from bookings).
 */
export async function addRollupCounts(tx: Db, rows: readonly MinuteCounts[]): Promise<void> {
  if (rows.length === 0) return;
  const list = sql.join(
    FIELDS.map((f) => sql.identifier([f])),
    sql.fragment`, `,
  );
  const add = (table: string) =>
    sql.join(
      FIELDS.map(
        (f) => sql.fragment`${sql.identifier([f])} = ${sql.identifier([table, f])} + ${sql.identifier(['excluded', f])}`,
      ),
      sql.fragment`, `,
    );
  const sums = sql.join(
    FIELDS.map((f) => sql.fragment`sum(${sql.identifier([f])})`),
    sql.fragment`, `,
  );
  const input = sql.unnest(
    rows.map((r) => [
      r.eventId,
      r.minuteMs,
      r.holds,
      r.heldSeats,
      r.releases,
      r.expiries,
      r.confirms,
      r.revenueCents,
      r.cancellations,
      r.refundCents,
    ]),
    ['uuid', 'float8', 'int4', 'int4', 'int4', 'int4', 'int4', 'int8', 'int4', 'int8'],
  );
  await tx.query(
    sql.typeAlias('void')`WITH input AS (
       SELECT * FROM ${input} AS x(event_id, minute_ms, ${list})
     ), m AS (
       INSERT INTO analytics_minutes (event_id, minute, ${list})
       SELECT event_id, to_timestamp(minute_ms / 1000), ${list} FROM input
       ON CONFLICT (event_id, minute) DO UPDATE SET ${add('analytics_minutes')}
     )
     INSERT INTO analytics_event_totals (event_id, ${list})
     SELECT event_id, ${sums} FROM input GROUP BY event_id
     ON CONFLICT (event_id) DO UPDATE SET ${add('analytics_event_totals')}, updated_at = now()`,
  );
}
