import { z } from 'zod';
import { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { refundFor } from '../../domain/refund-policy.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';

export interface CancelledBooking {
  bookingId: string;
  refundCents: number;
  /** The seats are on sale again: publish them (and offer them to the waitlist). */
  effects: SeatChangeEffects;
}

const Facts = z.object({
  user_id: z.string(),
  status: z.string(),
  total_cents: z.number(),
  event_id: z.string(),
  starts_at: z.date(),
  refund_percent: z.number(),
});

/**
 * `booking:cancel`: refunds the event's `refundPercent` of the price and puts the seats back on
 * sale, refused (FORBIDDEN) once the event has started. Lock order event (share) -> booking ->
 * seats: an event cancellation holds the event row exclusively, so the two never interleave.
 * The guard `status = 'confirmed'` makes a second (or concurrent) cancel match nothing, so
 * capacity can never be given back twice; it answers ALREADY_CANCELLED.
 */
export async function cancelBooking(pool: Pool, userId: string, bookingId: string, now: Date): Promise<CancelledBooking> {
  return withTransaction(pool, async (tx) => {
    await tx.query(
      sql.type(z.object({ locked: z.number() }))`SELECT 1 AS locked FROM events
        WHERE id = (SELECT event_id FROM bookings WHERE id = ${bookingId}) FOR SHARE`,
    );
    const facts = await tx.maybeOne(
      sql.type(Facts)`SELECT b.user_id, b.status, b.total_cents, b.event_id, e.starts_at, e.refund_percent
         FROM bookings b JOIN events e ON e.id = b.event_id WHERE b.id = ${bookingId} FOR UPDATE OF b`,
    );
    if (!facts || facts.user_id !== userId) throw new AppError('BOOKING_NOT_FOUND', 'no such booking');
    if (facts.status !== 'confirmed') throw new AppError('ALREADY_CANCELLED', 'this booking is already cancelled');
    const refundCents = refundFor(
      { totalCents: facts.total_cents },
      { startsAt: facts.starts_at, refundPercent: facts.refund_percent },
      now,
    );
    const row = await tx.maybeOne(
      sql.type(z.object({ changes: z.array(SeatChange) }))`WITH b AS (
         UPDATE bookings SET status = 'cancelled', cancelled_at = now(), refund_cents = ${refundCents}
          WHERE id = ${bookingId} AND user_id = ${userId} AND status = 'confirmed'
         RETURNING id, event_id, refund_cents
       ), s AS (
         UPDATE seats SET status = 'available', booking_id = NULL, version = seats.version + 1
          WHERE booking_id = (SELECT id FROM b) AND status = 'sold'
         RETURNING seats.id, seats.version
       ), a AS (
         INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
         SELECT ${userId}::uuid, 'booking.cancelled', event_id, 'booking', id::text, jsonb_build_object('refundCents', refund_cents) FROM b
       )
       SELECT coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'available', 'version', s.version)) FROM s),
                       '[]'::json) AS changes
         FROM b`,
    );
    if (!row) throw new AppError('ALREADY_CANCELLED', 'this booking is already cancelled');
    return { bookingId, refundCents, effects: { eventId: facts.event_id, changes: row.changes } };
  });
}
