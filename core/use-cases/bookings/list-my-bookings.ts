import type { MyBooking, MyBookingsQuery } from '../../contract/my-bookings.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { type BookingRow, bookingRowsSql } from './booking-rows-sql.js';

const strip = ({ at: _at, ...booking }: BookingRow): MyBooking => booking;

/** GET /api/me/bookings: newest first, keyset-paged by (created_at, id) descending (index bookings_user). */
export async function listMyBookings(db: Db, userId: string, query: MyBookingsQuery): Promise<Page<MyBooking>> {
  const conditions = [sql.fragment`b.user_id = ${userId}`];
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    conditions.push(sql.fragment`(b.created_at, b.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db.any(
    bookingRowsSql(
      sql.join(conditions, sql.fragment` AND `),
      sql.fragment`ORDER BY b.created_at DESC, b.id DESC LIMIT ${query.limit + 1}`,
    ),
  );
  return toPage([...rows], query.limit, (r) => [r.at, r.bookingId], strip);
}

/** GET /api/me/bookings/:id: someone else's booking is as absent as a missing one. */
export async function getMyBooking(db: Db, userId: string, bookingId: string): Promise<MyBooking> {
  const row = await db.maybeOne(bookingRowsSql(sql.fragment`b.id = ${bookingId} AND b.user_id = ${userId}`, sql.fragment``));
  if (!row) throw new AppError('BOOKING_NOT_FOUND', 'no such booking');
  return strip(row);
}
