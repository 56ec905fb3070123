import type { Booking } from '../../contract/commands.js';
import type { Queryable } from '../../db/pool.js';
import { bookingRowsSql } from './booking-rows-sql.js';

/** `booking:list`: the user's bookings, newest first, with the seats each one covers. */
export async function listBookings(db: Queryable, userId: string, limit = 200): Promise<Booking[]> {
  const { rows } = await db.query<Booking>(bookingRowsSql('b.user_id = $1', 'ORDER BY b.created_at DESC, b.id DESC LIMIT $2'), [
    userId,
    limit,
  ]);
  return rows.map(({ bookingId, reference, eventId, seats, totalCents, status, createdAt }) => ({
    bookingId,
    reference,
    eventId,
    seats,
    totalCents,
    status,
    createdAt,
  }));
}
