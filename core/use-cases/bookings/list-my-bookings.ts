import type { MyBooking, MyBookingsQuery } from '../../contract/my-bookings.js';
import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { bookingRowsSql } from './booking-rows-sql.js';

type Row = MyBooking & { at: string };
const strip = ({ at: _at, ...booking }: Row): MyBooking => booking;

/** GET /api/me/bookings: newest first, keyset-paged by (created_at, id) descending (index bookings_user). */
export async function listMyBookings(db: Queryable, userId: string, query: MyBookingsQuery): Promise<Page<MyBooking>> {
  const values: unknown[] = [userId];
  let conditions = 'b.user_id = $1';
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    values.push(at, id);
    conditions += ' AND (b.created_at, b.id) < ($2::timestamptz, $3::uuid)';
  }
  values.push(query.limit + 1);
  const { rows } = await db.query<Row>(
    bookingRowsSql(conditions, `ORDER BY b.created_at DESC, b.id DESC LIMIT $${values.length}`),
    values,
  );
  return toPage(rows, query.limit, (r) => [r.at, r.bookingId], strip);
}

/** GET /api/me/bookings/:id: someone else's booking is as absent as a missing one. */
export async function getMyBooking(db: Queryable, userId: string, bookingId: string): Promise<MyBooking> {
  const { rows } = await db.query<Row>(bookingRowsSql('b.id = $1 AND b.user_id = $2', ''), [bookingId, userId]);
  const row = rows[0];
  if (!row) throw new AppError('BOOKING_NOT_FOUND', 'no such booking');
  return strip(row);
}
