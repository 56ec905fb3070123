import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { CommandPayload, ConfirmReply } from '../../contract/commands.js';
import { SeatChange } from '../../contract/pushes.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { isSaleOpen } from '../../domain/event-status.js';
import { orderSeats, type PlacedSeat, toSeatRef } from '../../domain/order-seats.js';
import { findIdempotentReply, type IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { hashRequest } from '../idempotency/hash-request.js';
import { runIdempotent } from '../idempotency/run-idempotent.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';

export interface ConfirmResult {
  reply: ConfirmReply;
  changes: SeatChange[];
  replayed: boolean;
  /** The user has no other live hold for this event (their admission session may end). */
  lastHold: boolean;
}

const COMMAND = 'hold:confirm';
const REFERENCE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function newReference(): string {
  const bytes = randomBytes(10);
  return `EV${[...bytes].map((b) => REFERENCE_ALPHABET[b % REFERENCE_ALPHABET.length]).join('')}`;
}

const PlacedSeatJson = z.object({
  id: z.string(),
  section: z.string(),
  sectionRank: z.number(),
  row: z.number(),
  number: z.number(),
  priceCents: z.number(),
}) satisfies z.ZodType<PlacedSeat>;

const HoldRow = z.object({
  id: z.string(),
  user_id: z.string(),
  event_id: z.string(),
  status: z.string(),
  is_live: z.boolean(),
  seat_count: z.number(),
  total_cents: z.number(),
  cancelled_at: z.date().nullable(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  seats: z.array(PlacedSeatJson),
});

const MovedRow = z.object({ changes: z.array(SeatChange), others: z.number() });

/**
 * `hold:confirm` with mock payment. Lock order event (KEY SHARE) -> hold -> seats in id order, as
 * in every seat transaction, so an event cancellation never deadlocks with it. Refused
 * (SALE_NOT_OPEN) once the event has started. One statement moves the hold with the guard
 * `status = 'active' AND expires_at > now()`: the expiry worker's guard is the exact complement,
 * so exactly one of them wins. A declined payment changes nothing, is not recorded under the
 * idempotency key (only outcomes that changed state are) and keeps the hold.
 */
export async function confirmHold(
  pool: Pool,
  userId: string,
  p: CommandPayload<'hold:confirm'>,
  now: Date,
): Promise<ConfirmResult> {
  const { idempotencyKey, ...request } = p;
  const ref: IdempotencyRef = { userId, key: idempotencyKey, command: COMMAND, requestHash: hashRequest(COMMAND, request) };
  return runIdempotent<ConfirmReply, ConfirmResult>(pool, ref, {
    // A retry of a confirm that committed finds the hold confirmed under its row lock and the
    // stored reply there (confirmInTx); a key reused for another request collides on the record's
    // key: CONFLICT, nothing changed.
    work: () => withTransaction(pool, (tx) => confirmInTx(tx, ref, p, now)),
    replayed: (reply) => ({ reply, changes: [], replayed: true, lastHold: false }),
  });
}

async function confirmInTx(tx: Tx, ref: IdempotencyRef, p: CommandPayload<'hold:confirm'>, now: Date): Promise<ConfirmResult> {
  // Presale holds (see writeHold) confirm from the presale start. The event row first (KEY SHARE),
  // then the hold: the order every seat transaction uses, so an event cancellation (which takes
  // the event row exclusively first) can never deadlock with us. The CTE is scanned before the
  // hold row is locked (row locks are taken above the join).
  const hold = await tx.maybeOne(
    sql.type(HoldRow)`WITH e AS MATERIALIZED (
       SELECT id, cancelled_at, coalesce(presale_starts_at, sale_starts_at) AS sale_starts_at, starts_at FROM events
        WHERE id = (SELECT event_id FROM holds WHERE id = ${p.holdId}) FOR KEY SHARE
     )
     SELECT h.id, h.user_id, h.event_id, h.status, h.expires_at > now() AS is_live, h.seat_count, h.total_cents,
            e.cancelled_at, e.sale_starts_at, e.starts_at,
            (SELECT json_agg(json_build_object('id', s.id, 'section', sec.name, 'row', s.row, 'number', s.number,
                                               'priceCents', hs.price_cents, 'sectionRank', sec.position))
               FROM hold_seats hs JOIN seats s ON s.id = hs.seat_id JOIN sections sec ON sec.id = s.section_id
              WHERE hs.hold_id = h.id) AS seats
       FROM holds h JOIN e ON e.id = h.event_id
      WHERE h.id = ${p.holdId} FOR UPDATE OF h`,
  );
  if (!hold || hold.user_id !== ref.userId) throw new AppError('HOLD_NOT_FOUND', 'no such hold');
  if (hold.status !== 'active') {
    // A duplicate of this very request may have confirmed it while we waited for the row lock.
    const replay = await findIdempotentReply<ConfirmReply>(tx, ref);
    if (replay) return { reply: replay, changes: [], replayed: true, lastHold: false };
    if (hold.status === 'confirmed') throw new AppError('CONFLICT', 'this hold is already confirmed');
    if (hold.status === 'expired') throw new AppError('HOLD_EXPIRED', 'this hold has expired');
    throw new AppError('HOLD_NOT_FOUND', `this hold was ${hold.status}`);
  }
  if (!hold.is_live) throw new AppError('HOLD_EXPIRED', 'this hold has expired');
  // A hold made during the sale cannot be bought once the event has started (or was cancelled).
  const sale = { cancelledAt: hold.cancelled_at, saleStartsAt: hold.sale_starts_at, startsAt: hold.starts_at };
  if (!isSaleOpen(sale, now)) throw new AppError('SALE_NOT_OPEN', 'the sale for this event is closed');
  if (p.payment.outcome === 'decline') throw new AppError('PAYMENT_DECLINED', 'the payment was declined; the hold is kept');

  const bookingId = randomUUID();
  const reply: ConfirmReply = {
    bookingId,
    reference: newReference(),
    eventId: hold.event_id,
    seats: orderSeats(hold.seats).map(toSeatRef),
    totalCents: hold.total_cents,
    status: 'confirmed',
  };
  const result = await tx.maybeOne(
    sql.type(MovedRow)`WITH h AS (
       UPDATE holds SET status = 'confirmed', ended_at = now()
        WHERE id = ${p.holdId} AND status = 'active' AND expires_at > now()
       RETURNING id, event_id, user_id, total_cents
     ), b AS (
       INSERT INTO bookings (id, reference, event_id, user_id, hold_id, total_cents)
       SELECT ${bookingId}::uuid, ${reply.reference}::text, event_id, user_id, id, total_cents FROM h RETURNING id
     ), lk AS MATERIALIZED (
       SELECT id FROM seats WHERE hold_id = (SELECT id FROM h) ORDER BY id FOR UPDATE
     ), s AS (
       UPDATE seats SET status = 'sold', booking_id = (SELECT id FROM b), hold_id = NULL, version = seats.version + 1
         FROM lk WHERE seats.id = lk.id AND seats.status = 'held'
       RETURNING seats.id, seats.version
     ), bs AS (
       INSERT INTO booked_seats (booking_id, seat_id, price_cents)
       SELECT (SELECT id FROM b), hs.seat_id, hs.price_cents FROM hold_seats hs WHERE hs.hold_id = (SELECT id FROM h)
     ), w AS (
       UPDATE waitlist_entries SET status = 'fulfilled', updated_at = now()
        WHERE offer_hold_id = (SELECT id FROM h) AND status = 'offered'
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT user_id, 'booking.confirmed', event_id, 'booking', ${bookingId}::text,
              jsonb_build_object('holdId', id, 'totalCents', total_cents, 'payment', 'mock') FROM h
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT user_id, ${ref.key}::text, ${ref.command}::text, ${ref.requestHash}::text, ${JSON.stringify(reply)}::jsonb FROM h
     )
     SELECT coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'sold', 'version', s.version)) FROM s),
                     '[]'::json) AS changes,
            (SELECT count(*) FROM holds o WHERE o.user_id = ${ref.userId} AND o.event_id = ${hold.event_id} AND o.status = 'active'
                AND o.id <> ${p.holdId}) AS others`,
  );
  if (!result || result.changes.length !== hold.seat_count) {
    // The hold row was locked and live, so this means its seats moved under us: abort it all.
    throw new Error(`confirm ${p.holdId}: ${result?.changes.length ?? 0} of ${hold.seat_count} seats sold; rolling back`);
  }
  // The confirmation mail, in this transaction: it exists exactly when the booking does.
  await enqueueNotification(tx, { kind: 'booking_confirmed', userId: ref.userId, ...reply });
  return { reply, changes: result.changes, replayed: false, lastHold: result.others === 0 };
}
