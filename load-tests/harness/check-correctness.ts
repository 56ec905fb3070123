import pg from 'pg';
import { findWritableUrl } from '../../core/db/host-locator.js';
import type { AckedBooking, AckedHold } from './bench-types.js';

export interface CorrectnessVerdict {
  capacity: number;
  available: number;
  held: number;
  sold: number;
  /** Seats in confirmed bookings beyond the event's capacity, or a state count that does not add up. */
  oversold: number;
  /** Seats listed by two confirmed bookings, or sold seats not owned by one confirmed booking listing them. */
  doubleSold: number;
  /** Held seats without one active hold listing them. */
  orphanHeld: number;
  /** ok-acked holds Postgres does not have, or has with other seats/user/status. */
  lostHolds: number;
  /** ok-acked bookings Postgres does not have confirmed with exactly those seats sold to them. */
  lostBookings: number;
  examples: string[];
  ok: boolean;
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * The audit at the end of a run, straight in Postgres: the seat invariants of DESIGN.md and every
 * ok ack the clients got (holds, releases, bookings) held against what is stored.
 */
export async function checkCorrectness(
  databaseUrl: string,
  eventId: string,
  holds: AckedHold[],
  bookings: AckedBooking[],
): Promise<CorrectnessVerdict> {
  const db = new pg.Client({ connectionString: await findWritableUrl(databaseUrl) });
  await db.connect();
  const examples: string[] = [];
  const note = (s: string) => {
    if (examples.length < 20) examples.push(s);
  };
  try {
    const q = async <T extends pg.QueryResultRow>(sql: string) => (await db.query<T>(sql, [eventId])).rows;
    const [counts] = await q<{ capacity: number; available: number; held: number; sold: number; booked: number }>(
      `SELECT e.capacity,
              (SELECT count(*)::int FROM seats WHERE event_id = e.id AND status = 'available') AS available,
              (SELECT count(*)::int FROM seats WHERE event_id = e.id AND status = 'held') AS held,
              (SELECT count(*)::int FROM seats WHERE event_id = e.id AND status = 'sold') AS sold,
              (SELECT count(*)::int FROM booked_seats bs JOIN bookings b ON b.id = bs.booking_id
                WHERE b.event_id = e.id AND b.status = 'confirmed') AS booked
       FROM events e WHERE e.id = $1`,
    );
    if (!counts) throw new Error(`event ${eventId} not found`);
    const states = counts.available + counts.held + counts.sold;
    const oversold = Math.max(0, counts.booked - counts.capacity) + Math.abs(states - counts.capacity);
    if (oversold) note(`capacity ${counts.capacity}, seats ${states}, seats in confirmed bookings ${counts.booked}`);

    const doubles = await q<{ seat_id: string }>(
      `SELECT bs.seat_id FROM booked_seats bs JOIN bookings b ON b.id = bs.booking_id
       WHERE b.event_id = $1 AND b.status = 'confirmed' GROUP BY bs.seat_id HAVING count(*) > 1
       UNION
       SELECT s.id FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
       LEFT JOIN booked_seats bs ON bs.booking_id = s.booking_id AND bs.seat_id = s.id
       WHERE s.event_id = $1 AND s.status = 'sold' AND (b.status IS DISTINCT FROM 'confirmed' OR bs.seat_id IS NULL)`,
    );
    for (const d of doubles) note(`double-sold seat ${d.seat_id}`);
    const orphans = await q<{ id: string }>(
      `SELECT s.id FROM seats s LEFT JOIN holds h ON h.id = s.hold_id
       LEFT JOIN hold_seats hs ON hs.hold_id = s.hold_id AND hs.seat_id = s.id
       WHERE s.event_id = $1 AND s.status = 'held' AND (h.status IS DISTINCT FROM 'active' OR hs.seat_id IS NULL)`,
    );
    for (const o of orphans) note(`held seat ${o.id} without an active hold listing it`);

    const storedHolds = new Map(
      (
        await q<{ id: string; user_id: string; status: string; seats: string[] }>(
          `SELECT h.id, h.user_id, h.status, array_agg(hs.seat_id::text) AS seats
           FROM holds h JOIN hold_seats hs ON hs.hold_id = h.id WHERE h.event_id = $1 GROUP BY h.id`,
        )
      ).map((r) => [r.id, r]),
    );
    let lostHolds = 0;
    for (const h of holds) {
      const s = storedHolds.get(h.holdId);
      const problem = !s
        ? 'missing'
        : s.user_id !== h.userId
          ? `user ${s.user_id}`
          : !sameSet(s.seats, h.seatIds)
            ? `seats ${s.seats.length} stored vs ${h.seatIds.length} acked`
            : h.released && s.status !== 'released'
              ? `released by the client but ${s.status}`
              : null;
      if (problem) {
        lostHolds += 1;
        note(`acked hold ${h.holdId}: ${problem}`);
      }
    }

    const storedBookings = new Map(
      (
        await q<{ id: string; hold_id: string; user_id: string; status: string; seats: string[]; sold: string[] }>(
          `SELECT b.id, b.hold_id, b.user_id, b.status,
                  array_agg(bs.seat_id::text) AS seats,
                  array(SELECT s.id::text FROM seats s WHERE s.booking_id = b.id AND s.status = 'sold') AS sold
           FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id WHERE b.event_id = $1 GROUP BY b.id`,
        )
      ).map((r) => [r.id, r]),
    );
    let lostBookings = 0;
    for (const b of bookings) {
      const s = storedBookings.get(b.bookingId);
      const problem = !s
        ? 'missing'
        : s.status !== 'confirmed'
          ? s.status
          : s.user_id !== b.userId || s.hold_id !== b.holdId
            ? 'other user or hold'
            : !sameSet(s.seats, b.seatIds) || !sameSet(s.sold, b.seatIds)
              ? `seats: acked ${b.seatIds.length}, listed ${s.seats.length}, sold to it ${s.sold.length}`
              : storedHolds.get(b.holdId)?.status !== 'confirmed'
                ? `its hold is ${storedHolds.get(b.holdId)?.status}`
                : null;
      if (problem) {
        lostBookings += 1;
        note(`acked booking ${b.bookingId}: ${problem}`);
      }
    }
    const verdict = {
      capacity: counts.capacity,
      available: counts.available,
      held: counts.held,
      sold: counts.sold,
      oversold,
      doubleSold: doubles.length,
      orphanHeld: orphans.length,
      lostHolds,
      lostBookings,
      examples,
    };
    return { ...verdict, ok: oversold + doubles.length + orphans.length + lostHolds + lostBookings === 0 };
  } finally {
    await db.end();
  }
}
