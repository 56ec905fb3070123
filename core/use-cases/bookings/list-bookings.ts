import type { Booking } from '../../contract/commands.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { bookingRowsSql } from './booking-rows-sql.js';

/** `booking:list`: the user's bookings, newest first, with the seats each one covers. */
export async function listBookings(db: Db, userId: string, limit = 200): Promise<Booking[]> {
  const rows = await db.any(
    bookingRowsSql(sql.fragment`b.user_id = ${userId}`, sql.fragment`ORDER BY b.created_at DESC, b.id DESC LIMIT ${limit}`),
  );
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
