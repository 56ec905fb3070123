import type { Booking } from '../../contract/commands.js';
import type { Queryable } from '../../db/pool.js';

/** `booking:list`: the user's bookings, newest first, with the seats each one covers. */
export async function listBookings(db: Queryable, userId: string, limit = 200): Promise<Booking[]> {
  const { rows } = await db.query<Booking>(
    `SELECT b.id AS "bookingId", b.reference, b.event_id AS "eventId", b.total_cents AS "totalCents", b.status,
            to_char(b.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('id', s.id, 'section', sec.name, 'row', s.row, 'number', s.number,
                                                        'priceCents', bs.price_cents) ORDER BY sec.position, s.row, s.number)
                        FROM booked_seats bs JOIN seats s ON s.id = bs.seat_id JOIN sections sec ON sec.id = s.section_id
                       WHERE bs.booking_id = b.id), '[]'::json) AS seats
       FROM bookings b WHERE b.user_id = $1 ORDER BY b.created_at DESC, b.id LIMIT $2`,
    [userId, limit],
  );
  return rows;
}
