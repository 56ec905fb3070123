import { z } from 'zod';
import { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { enqueueNotifications } from '../notifications/enqueue-notification.js';
import { lockManagedEvent } from './lock-managed-event.js';

const RefundRow = z.object({
  n: z.number(),
  cents: z.number(),
  cancelled: z.array(z.object({ id: z.string(), user_id: z.string(), refund_cents: z.number() })),
});

export interface CancelledEvent {
  eventId: string;
  releasedHolds: number;
  refundedBookings: number;
  refundCents: number;
  /** Every held or sold seat is available again: publish them. */
  effects: SeatChangeEffects;
}

/**
 * Cancels an event: live holds end, confirmed bookings are cancelled with a full refund, every
 * held or sold seat goes back to available (version bumped) so the seat map tells subscribers.
 * The event row is locked first so no hold or confirm can slip in beside the cancellation.
 */
export async function cancelEvent(pool: Pool, eventId: string, actor: Actor): Promise<CancelledEvent> {
  const actorId = actor.userId;
  return withTransaction(pool, async (tx) => {
    const ev = await lockManagedEvent(tx, actor, eventId);
    if (ev.cancelled) throw new AppError('ALREADY_CANCELLED', 'event already cancelled');
    await tx.query(sql.typeAlias('void')`UPDATE events SET cancelled_at = now(), updated_at = now() WHERE id = ${eventId}`);
    const changes = [
      ...(await tx.any(
        sql.type(SeatChange)`WITH moved AS (
         SELECT id FROM seats WHERE event_id = ${eventId} AND status <> 'available' ORDER BY id FOR UPDATE
       )
       UPDATE seats s SET status = 'available', hold_id = NULL, booking_id = NULL, version = s.version + 1
         FROM moved WHERE s.id = moved.id
       RETURNING s.id AS "seatId", s.status, s.version`,
      )),
    ];
    const holds = await tx.query(
      sql.typeAlias(
        'void',
      )`UPDATE holds SET status = 'cancelled', ended_at = now() WHERE event_id = ${eventId} AND status = 'active'`,
    );
    const { rows: refunds } = await tx.query(
      sql.type(RefundRow)`WITH c AS (
         UPDATE bookings SET status = 'cancelled', cancelled_at = now(), refund_cents = total_cents
          WHERE event_id = ${eventId} AND status = 'confirmed' RETURNING id, user_id, total_cents
       ) SELECT count(*) AS n, coalesce(sum(total_cents), 0) AS cents,
                coalesce(json_agg(json_build_object('id', id, 'user_id', user_id, 'refund_cents', total_cents)), '[]'::json)
                  AS cancelled
           FROM c`,
    );
    // Every buyer hears of it, with the refund: written with the cancellation, sent after it.
    await enqueueNotifications(
      tx,
      (refunds[0]?.cancelled ?? []).map((b) => ({
        kind: 'event_cancelled' as const,
        userId: b.user_id,
        eventId,
        bookingId: b.id,
        refundCents: b.refund_cents,
      })),
    );
    await tx.query(
      sql.typeAlias('void')`UPDATE waitlist_entries SET status = 'cancelled', offer_hold_id = NULL, updated_at = now()
        WHERE event_id = ${eventId} AND status IN ('waiting', 'offered')`,
    );
    const refund = refunds[0] ?? { n: 0, cents: 0, cancelled: [] };
    await writeAudit(tx, {
      actorId,
      action: 'event.cancelled',
      eventId,
      entityType: 'event',
      entityId: eventId,
      data: { releasedHolds: holds.rowCount ?? 0, refundedBookings: refund.n, refundCents: refund.cents },
    });
    return {
      eventId,
      releasedHolds: holds.rowCount ?? 0,
      refundedBookings: refund.n,
      refundCents: refund.cents,
      effects: { eventId, changes },
    };
  });
}
