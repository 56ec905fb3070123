import type { FragmentSqlToken, ValueExpression } from 'slonik';
import { sql } from '../../db/sql.js';

/**
 * The seat SQL that returns how many seats of one event a user holds (live holds) or owns
 * (confirmed bookings): what the per-user allowance (`maxSeatsPerUser`) is counted against. A
 * scalar expression; `userId` and `eventId` are SQL expressions (a bound value, or a column of
 * the caller's row). Read under the user's hold-limit lock, so it cannot change before commit.
 *
 * Written so that the per-user indexes are the only ones that fit, whatever the statistics: a
 * sale's first minute runs on tables autovacuum has not analyzed yet, and there the planner took
 * `holds_active_expiry` (for `expires_at > now()`) and `bookings_event_created` (for the event)
 * and read every live hold and every booking of the event once per user of each hold batch. The
 * hold's time is therefore a FILTER, not a WHERE condition; `bookings_confirmed_user_event` covers
 * both of the booking's conditions.
 */
export function seatsHeldOrOwned(o: { userId: ValueExpression; eventId: ValueExpression }): FragmentSqlToken {
  return sql.fragment`((SELECT coalesce(sum(h.seat_count) FILTER (WHERE h.expires_at > now()), 0) FROM holds h
            WHERE h.user_id = ${o.userId} AND h.event_id = ${o.eventId} AND h.status = 'active')
        + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
            WHERE b.user_id = ${o.userId} AND b.event_id = ${o.eventId} AND b.status = 'confirmed'))`;
}
