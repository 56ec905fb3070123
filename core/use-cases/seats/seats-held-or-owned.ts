import type { FragmentSqlToken, ValueExpression } from 'slonik';
import { sql } from '../../db/sql.js';

/**
 * The seat SQL that returns how many seats of one event a user holds (live holds) or owns
 * (confirmed bookings): what the per-user allowance (`maxSeatsPerUser`) is counted against. A
 * scalar expression; `userId` and `eventId` are SQL expressions (a bound value, or a column of
 * the caller's row). Read under the user's hold-limit lock, so it cannot change before commit.
 */
export function seatsHeldOrOwned(o: { userId: ValueExpression; eventId: ValueExpression }): FragmentSqlToken {
  return sql.fragment`((SELECT coalesce(sum(h.seat_count), 0) FROM holds h
            WHERE h.user_id = ${o.userId} AND h.event_id = ${o.eventId} AND h.status = 'active' AND h.expires_at > now())
        + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
            WHERE b.user_id = ${o.userId} AND b.event_id = ${o.eventId} AND b.status = 'confirmed'))`;
}
