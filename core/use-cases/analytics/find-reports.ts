import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export interface Reports {
  /** New accounts per UTC day; null when the caller may only see its own events (organizers). */
  registrationsPerDay: { day: string; registrations: number }[] | null;
  /** Distinct users who held or booked in the range (for the event, when one is given). */
  activeUsers: number;
  /** The events with most bookings in the range. */
  mostBooked: { eventId: string; name: string; bookings: number; revenueCents: number }[];
  /** Seats sold now against capacity, for the events active in the range (or the one event). */
  capacityUtilization: {
    capacity: number;
    sold: number;
    ratio: number;
    events: { eventId: string; name: string; capacity: number; sold: number; ratio: number }[];
  };
}

const ratio = (sold: number, capacity: number) => (capacity > 0 ? Math.round((sold / capacity) * 10_000) / 10_000 : 0);

/**
 * The earlier backends' reports, over [from, to): registrations per day, active users, most
 * booked events and capacity utilization. `events` are the roll-up rows the report already has
 * (bookings per event in the range), so bookings are never re-counted from the bookings table.
 */
export async function findReports(
  db: Db,
  q: { from: Date; to: Date; eventId: string | null; includeRegistrations: boolean; ownerId?: string | null },
  events: readonly { eventId: string; name: string; bookings: number; revenueCents: number }[],
): Promise<Reports> {
  const from = q.from.toISOString();
  const to = q.to.toISOString();
  const ownerId = q.ownerId ?? null;
  const owned = sql.fragment`(${ownerId}::uuid IS NULL OR event_id IN (SELECT id FROM events WHERE owner_id = ${ownerId}::uuid))`;
  const [registrations, active] = await Promise.all([
    q.includeRegistrations
      ? db.any(
          sql.type(
            z.object({ day: z.string(), n: z.number() }),
          )`SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
                  count(*)::int8 AS n
             FROM users WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz GROUP BY 1 ORDER BY 1`,
        )
      : null,
    db.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(DISTINCT user_id)::int8 AS n FROM (
         SELECT user_id FROM holds WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz
            AND (${q.eventId}::uuid IS NULL OR event_id = ${q.eventId}::uuid) AND ${owned}
         UNION ALL
         SELECT user_id FROM bookings WHERE created_at >= ${from}::timestamptz AND created_at < ${to}::timestamptz
            AND (${q.eventId}::uuid IS NULL OR event_id = ${q.eventId}::uuid) AND ${owned}
       ) x`,
    ),
  ]);
  const mostBooked = [...events]
    .filter((e) => e.bookings > 0)
    .sort((a, b) => b.bookings - a.bookings || b.revenueCents - a.revenueCents || a.eventId.localeCompare(b.eventId))
    .slice(0, 10)
    .map(({ eventId, name, bookings, revenueCents }) => ({ eventId, name, bookings, revenueCents }));
  const ids = q.eventId ? [q.eventId] : events.slice(0, 50).map((e) => e.eventId);
  const rows = await db.any(
    sql.type(
      z.object({ id: z.string(), name: z.string(), capacity: z.number(), sold: z.number() }),
    )`SELECT e.id, e.name, e.capacity,
            (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'sold')::int8 AS sold
       FROM events e WHERE e.id = ANY(${sql.array(ids, 'uuid')})`,
  );
  const utilization = rows
    .map((r) => ({ eventId: r.id, name: r.name, capacity: r.capacity, sold: r.sold, ratio: ratio(r.sold, r.capacity) }))
    .sort((a, b) => b.ratio - a.ratio || a.eventId.localeCompare(b.eventId));
  const capacity = utilization.reduce((n, e) => n + e.capacity, 0);
  const sold = utilization.reduce((n, e) => n + e.sold, 0);
  return {
    registrationsPerDay: registrations ? registrations.map((r) => ({ day: r.day, registrations: r.n })) : null,
    activeUsers: active,
    mostBooked,
    capacityUtilization: { capacity, sold, ratio: ratio(sold, capacity), events: utilization },
  };
}
