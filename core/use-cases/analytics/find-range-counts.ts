import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { DayEventCounts } from '../../domain/summarize-analytics-range.js';

const Row = z.object({
  day: z.string(),
  event_id: z.string(),
  name: z.string().nullable(),
  holds: z.number(),
  held_seats: z.number(),
  releases: z.number(),
  expiries: z.number(),
  confirms: z.number(),
  revenue_cents: z.number(),
  cancellations: z.number(),
  refund_cents: z.number(),
});

/** Roll-up minutes in [from, to) summed per UTC day and event (never touches bookings); one
 * event, the events of one owner (an organizer's "all"), or all. */
export async function findRangeCounts(
  db: Db,
  from: Date,
  to: Date,
  eventId: string | null,
  ownerId: string | null = null,
): Promise<DayEventCounts[]> {
  const rows = await db.any(
    sql.type(Row)`SELECT to_char(m.minute AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, m.event_id, e.name,
            sum(m.holds)::int8 AS holds, sum(m.held_seats)::int8 AS held_seats, sum(m.releases)::int8 AS releases,
            sum(m.expiries)::int8 AS expiries, sum(m.confirms)::int8 AS confirms, sum(m.revenue_cents)::int8 AS revenue_cents,
            sum(m.cancellations)::int8 AS cancellations, sum(m.refund_cents)::int8 AS refund_cents
       FROM analytics_minutes m LEFT JOIN events e ON e.id = m.event_id
      WHERE m.minute >= date_trunc('minute', ${from.toISOString()}::timestamptz) AND m.minute < ${to.toISOString()}::timestamptz
        AND (${eventId}::uuid IS NULL OR m.event_id = ${eventId}::uuid)
        AND (${ownerId}::uuid IS NULL OR e.owner_id = ${ownerId}::uuid)
      GROUP BY 1, 2, 3`,
  );
  return rows.map((r) => ({
    day: r.day,
    eventId: r.event_id,
    name: r.name ?? '',
    holds: r.holds,
    heldSeats: r.held_seats,
    releases: r.releases,
    expiries: r.expiries,
    confirms: r.confirms,
    revenueCents: r.revenue_cents,
    cancellations: r.cancellations,
    refundCents: r.refund_cents,
  }));
}
