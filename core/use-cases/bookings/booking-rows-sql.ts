import type { FragmentSqlToken, IdentifierSqlToken, ListSqlToken, QuerySqlToken } from 'slonik';
import { z } from 'zod';
import { MyBooking } from '../../contract/my-bookings.js';
import { isoMicrosSql } from '../../db/iso-micros-sql.js';
import { sql } from '../../db/sql.js';

const iso = (column: IdentifierSqlToken) => sql.fragment`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** A row of bookingRowsSql: a booking as GET /api/me/bookings answers it, plus its cursor key. */
export const BookingRow = MyBooking.extend({ at: z.string() });
export type BookingRow = z.infer<typeof BookingRow>;

/**
 * The one SELECT of a user's bookings with their seats and event (socket `booking:list` and the
 * HTTP routes): callers add conditions on `b` and the order. `at` is the exact cursor key.
 */
export function bookingRowsSql(
  conditions: FragmentSqlToken | ListSqlToken,
  tail: FragmentSqlToken,
): QuerySqlToken<typeof BookingRow> {
  return sql.type(
    BookingRow,
  )`SELECT b.id AS "bookingId", b.reference, b.event_id AS "eventId", b.total_cents AS "totalCents", b.status,
            ${iso(sql.identifier(['b', 'created_at']))} AS "createdAt",
            coalesce((SELECT json_agg(json_build_object('id', s.id, 'section', sec.name, 'row', s.row, 'number', s.number,
                                                        'priceCents', bs.price_cents) ORDER BY sec.position, s.row, s.number)
                        FROM booked_seats bs JOIN seats s ON s.id = bs.seat_id JOIN sections sec ON sec.id = s.section_id
                       WHERE bs.booking_id = b.id), '[]'::json) AS seats,
            e.name AS "eventName", ${iso(sql.identifier(['e', 'starts_at']))} AS "eventStartsAt", b.refund_cents AS "refundCents",
            CASE WHEN b.cancelled_at IS NULL THEN NULL ELSE ${iso(sql.identifier(['b', 'cancelled_at']))} END AS "cancelledAt",
            ${isoMicrosSql(sql.identifier(['b', 'created_at']))} AS at
       FROM bookings b JOIN events e ON e.id = b.event_id
      WHERE ${conditions} ${tail}`;
}
