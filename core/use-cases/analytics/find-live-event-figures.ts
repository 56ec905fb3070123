import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { type RollupCounts, ZERO_COUNTS } from '../../domain/audit-delta.js';
import type { EventFigures } from '../../domain/build-analytics-snapshots.js';

/** At most this many live events are covered per tick (the soonest first). */
export const MAX_LIVE_EVENTS = 1000;

type Figures = Omit<EventFigures, 'queue'>;

/** A roll-up row as jsonb (counts by column name, plus its keys and timestamps). */
const CountsJson = z.record(z.string(), z.any()).nullable();
const Row = z.object({
  id: z.string(),
  name: z.string(),
  capacity: z.number(),
  available: z.number(),
  held: z.number(),
  sold: z.number(),
  entries: z.number(),
  wanted: z.number(),
  totals: CountsJson,
  cur: CountsJson,
  prev: CountsJson,
});

const counts = (j: Record<string, number> | null): RollupCounts =>
  j
    ? {
        holds: j.holds ?? 0,
        heldSeats: j.held_seats ?? 0,
        releases: j.releases ?? 0,
        expiries: j.expiries ?? 0,
        confirms: j.confirms ?? 0,
        revenueCents: j.revenue_cents ?? 0,
        cancellations: j.cancellations ?? 0,
        refundCents: j.refund_cents ?? 0,
      }
    : ZERO_COUNTS;

/**
 * The Postgres side of one tick for every live event (not over, not cancelled more than a day
 * ago): seat counts by status (index on seats(event_id, status)), open waitlist entries, running
 * totals and the last two minute buckets of the roll-ups. One statement, whatever the number of
 * admins watching.
 */
export async function findLiveEventFigures(db: Db, now: Date): Promise<Figures[]> {
  const at = now.toISOString();
  const rows = await db.any(
    sql.type(Row)`WITH live AS (
       SELECT id, name, capacity FROM events
        WHERE starts_at > ${at}::timestamptz - interval '1 day'
          AND (cancelled_at IS NULL OR cancelled_at > ${at}::timestamptz - interval '1 day')
        ORDER BY starts_at LIMIT ${MAX_LIVE_EVENTS}
     ), seat AS (
       SELECT s.event_id,
              count(*) FILTER (WHERE s.status = 'available')::int AS available,
              count(*) FILTER (WHERE s.status = 'held')::int AS held,
              count(*) FILTER (WHERE s.status = 'sold')::int AS sold
         FROM seats s WHERE s.event_id IN (SELECT id FROM live) GROUP BY s.event_id
     ), wl AS (
       SELECT w.event_id, count(*)::int AS entries, sum(w.quantity)::int AS wanted
         FROM waitlist_entries w WHERE w.status = 'waiting' AND w.event_id IN (SELECT id FROM live) GROUP BY w.event_id
     ), m AS (
       SELECT * FROM analytics_minutes
        WHERE minute >= date_trunc('minute', ${at}::timestamptz) - interval '1 minute' AND event_id IN (SELECT id FROM live)
     )
     SELECT live.id, live.name, live.capacity,
            coalesce(seat.available, 0) AS available, coalesce(seat.held, 0) AS held, coalesce(seat.sold, 0) AS sold,
            coalesce(wl.entries, 0) AS entries, coalesce(wl.wanted, 0) AS wanted,
            (SELECT to_jsonb(t) FROM analytics_event_totals t WHERE t.event_id = live.id) AS totals,
            (SELECT to_jsonb(m) FROM m WHERE m.event_id = live.id AND m.minute = date_trunc('minute', ${at}::timestamptz)) AS cur,
            (SELECT to_jsonb(m) FROM m WHERE m.event_id = live.id
                AND m.minute = date_trunc('minute', ${at}::timestamptz) - interval '1 minute') AS prev
       FROM live LEFT JOIN seat ON seat.event_id = live.id LEFT JOIN wl ON wl.event_id = live.id`,
  );
  return rows.map((r) => ({
    eventId: r.id,
    name: r.name,
    seats: { capacity: r.capacity, available: r.available, held: r.held, sold: r.sold },
    totals: counts(r.totals),
    currentMinute: counts(r.cur),
    previousMinute: counts(r.prev),
    waitlist: { entries: r.entries, seats: r.wanted },
  }));
}
