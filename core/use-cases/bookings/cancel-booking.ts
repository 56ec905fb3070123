import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';

export interface CancelledBooking {
  bookingId: string;
  eventId: string;
  refundCents: number;
  changes: SeatChange[];
}

/**
 * `booking:cancel`: full refund, seats back on sale. The guard `status = 'confirmed'` on the
 * booking row makes a second (or concurrent) cancel match nothing, so capacity can never be
 * given back twice; it answers ALREADY_CANCELLED.
 */
export async function cancelBooking(pool: Pool, userId: string, bookingId: string): Promise<CancelledBooking> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ event_id: string; refund_cents: number; changes: SeatChange[] }>(
      `WITH b AS (
         UPDATE bookings SET status = 'cancelled', cancelled_at = now(), refund_cents = total_cents
          WHERE id = $1 AND user_id = $2 AND status = 'confirmed'
         RETURNING id, event_id, refund_cents
       ), s AS (
         UPDATE seats SET status = 'available', booking_id = NULL, version = seats.version + 1
          WHERE booking_id = (SELECT id FROM b) AND status = 'sold'
         RETURNING seats.id, seats.version
       ), a AS (
         INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
         SELECT $2, 'booking.cancelled', event_id, 'booking', id::text, jsonb_build_object('refundCents', refund_cents) FROM b
       )
       SELECT b.event_id, b.refund_cents,
              coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'available', 'version', s.version)) FROM s),
                       '[]'::json) AS changes
         FROM b`,
      [bookingId, userId],
    );
    const row = rows[0];
    if (!row) {
      const { rows: found } = await tx.query<{ status: string; user_id: string }>(
        'SELECT status, user_id FROM bookings WHERE id = $1',
        [bookingId],
      );
      const b = found[0];
      if (!b || b.user_id !== userId) throw new AppError('BOOKING_NOT_FOUND', 'no such booking');
      throw new AppError('ALREADY_CANCELLED', 'this booking is already cancelled');
    }
    return { bookingId, eventId: row.event_id, refundCents: row.refund_cents, changes: row.changes };
  });
}
