import pg from 'pg';
import { expect } from 'vitest';

/**
 * DESIGN.md invariant 1, checked straight in Postgres: per event available + held + sold =
 * capacity; every sold seat belongs to exactly one confirmed booking that lists it; every held
 * seat belongs to exactly one active hold that lists it; no active hold or confirmed booking
 * points at seats it does not have.
 */
export async function checkInvariants(databaseUrl: string): Promise<void> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const q = async (sql: string) => (await db.query(sql)).rows;
    expect(
      await q(`SELECT e.id, e.capacity, count(s.*)::int AS seats FROM events e LEFT JOIN seats s ON s.event_id = e.id
               GROUP BY e.id HAVING e.capacity <> count(s.*)`),
      'capacity equals seat count',
    ).toEqual([]);
    expect(
      await q(`SELECT s.id FROM seats s LEFT JOIN bookings b ON b.id = s.booking_id
               LEFT JOIN booked_seats bs ON bs.booking_id = s.booking_id AND bs.seat_id = s.id
               WHERE s.status = 'sold' AND (b.status IS DISTINCT FROM 'confirmed' OR bs.seat_id IS NULL)`),
      'sold seats are in one confirmed booking',
    ).toEqual([]);
    expect(
      await q(`SELECT s.id FROM seats s LEFT JOIN holds h ON h.id = s.hold_id
               LEFT JOIN hold_seats hs ON hs.hold_id = s.hold_id AND hs.seat_id = s.id
               WHERE s.status = 'held' AND (h.status IS DISTINCT FROM 'active' OR hs.seat_id IS NULL)`),
      'held seats are in one active hold',
    ).toEqual([]);
    expect(
      await q(`SELECT h.id FROM holds h WHERE h.status = 'active' AND h.seat_count <>
               (SELECT count(*) FROM seats s WHERE s.hold_id = h.id)`),
      'active holds own exactly their seats',
    ).toEqual([]);
    expect(
      await q(`SELECT b.id FROM bookings b WHERE b.status = 'confirmed' AND
               (SELECT count(*) FROM booked_seats bs WHERE bs.booking_id = b.id) <>
               (SELECT count(*) FROM seats s WHERE s.booking_id = b.id)`),
      'confirmed bookings own exactly their seats',
    ).toEqual([]);
    expect(
      await q(`SELECT seat_id FROM booked_seats bs JOIN bookings b ON b.id = bs.booking_id
               WHERE b.status = 'confirmed' GROUP BY seat_id HAVING count(*) > 1`),
      'no seat in two confirmed bookings',
    ).toEqual([]);
    expect(
      await q(`SELECT h.id FROM holds h JOIN bookings b ON b.hold_id = h.id WHERE h.status <> 'confirmed'`),
      'a booked hold is confirmed',
    ).toEqual([]);
    expect(
      await q(`SELECT w.id FROM waitlist_entries w LEFT JOIN holds h ON h.id = w.offer_hold_id
               WHERE w.status = 'offered' AND h.status IS DISTINCT FROM 'active'`),
      'an open waitlist offer is a live hold',
    ).toEqual([]);
    expect(
      await q(`SELECT r.key FROM idempotency_records r LEFT JOIN holds h ON h.id::text = r.reply->>'holdId'
               WHERE r.command = 'seats:hold' AND h.id IS NULL
               UNION ALL
               SELECT r.key FROM idempotency_records r LEFT JOIN bookings b ON b.id::text = r.reply->>'bookingId'
               WHERE r.command = 'hold:confirm' AND b.id IS NULL`),
      'every stored reply names a hold or booking that exists',
    ).toEqual([]);
    // A batch writes its holds, audit entries and replies in one statement, matched by position:
    // each must land with its own hold.
    expect(
      await q(`SELECT r.key FROM idempotency_records r JOIN holds h ON h.id::text = r.reply->>'holdId'
               WHERE r.command = 'seats:hold' AND (h.user_id <> r.user_id OR h.event_id::text <> r.reply->>'eventId')`),
      'a stored hold reply names a hold of its own user and event',
    ).toEqual([]);
    expect(
      await q(`SELECT r.key FROM idempotency_records r JOIN bookings b ON b.id::text = r.reply->>'bookingId'
               WHERE r.command = 'hold:confirm' AND (b.user_id <> r.user_id OR b.reference <> r.reply->>'reference')`),
      'a stored confirm reply names a booking of its own user, with its reference',
    ).toEqual([]);
    expect(
      await q(`SELECT h.id FROM holds h WHERE h.source = 'user' AND
               (SELECT count(*) FROM audit_log a WHERE a.action = 'hold.created' AND a.entity_type = 'hold'
                   AND a.entity_id = h.id::text AND a.actor_id = h.user_id AND a.event_id = h.event_id
                   AND (a.data->>'totalCents')::int = h.total_cents) <> 1`),
      'every hold a user made has its one creation entry, by that user, with its total',
    ).toEqual([]);
  } finally {
    await db.end();
  }
}
