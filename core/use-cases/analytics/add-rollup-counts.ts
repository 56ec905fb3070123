import type { Queryable } from '../../db/pool.js';
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
export async function addRollupCounts(tx: Queryable, rows: readonly MinuteCounts[]): Promise<void> {
  if (rows.length === 0) return;
  const col = <T>(pick: (r: MinuteCounts) => T): T[] => rows.map(pick);
  const list = FIELDS.join(', ');
  const add = (table: string) => FIELDS.map((f) => `${f} = ${table}.${f} + excluded.${f}`).join(', ');
  await tx.query(
    `WITH input AS (
       SELECT * FROM unnest($1::uuid[], $2::float8[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::int8[],
                            $9::int[], $10::int8[]) AS x(event_id, minute_ms, ${list})
     ), m AS (
       INSERT INTO analytics_minutes (event_id, minute, ${list})
       SELECT event_id, to_timestamp(minute_ms / 1000), ${list} FROM input
       ON CONFLICT (event_id, minute) DO UPDATE SET ${add('analytics_minutes')}
     )
     INSERT INTO analytics_event_totals (event_id, ${list})
     SELECT event_id, ${FIELDS.map((f) => `sum(${f})`).join(', ')} FROM input GROUP BY event_id
     ON CONFLICT (event_id) DO UPDATE SET ${add('analytics_event_totals')}, updated_at = now()`,
    [
      col((r) => r.eventId),
      col((r) => r.minuteMs),
      col((r) => r.holds),
      col((r) => r.heldSeats),
      col((r) => r.releases),
      col((r) => r.expiries),
      col((r) => r.confirms),
      col((r) => r.revenueCents),
      col((r) => r.cancellations),
      col((r) => r.refundCents),
    ],
  );
}
