import { randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { writeWholeOrEach } from '../../batching/command-batcher.js';
import type { CommandPayload, ConfirmReply } from '../../contract/commands.js';
import { SeatChange } from '../../contract/pushes.js';
import { jsonRows } from '../../db/json-rows.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { decideConfirm } from '../../domain/decide-confirm.js';
import { orderSeats, type PlacedSeat, toSeatRef } from '../../domain/order-seats.js';
import type { IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { enqueueNotifications } from '../notifications/enqueue-notification.js';

export interface ConfirmRequest {
  userId: string;
  payload: CommandPayload<'hold:confirm'>;
  idempotency: IdempotencyRef;
}

export interface ConfirmResult {
  reply: ConfirmReply;
  changes: SeatChange[];
  replayed: boolean;
  /** The user has no other live hold for this event (their admission session may end). */
  lastHold: boolean;
}

/** One request's outcome: its result, or the failure it alone gets (an AppError: a refusal). */
export type ConfirmOutcome = ConfirmResult | Error;

export const CONFIRM_COMMAND = 'hold:confirm';

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
type HoldRow = z.infer<typeof HoldRow>;

const StoredRow = z.object({
  user_id: z.string(),
  key: z.string(),
  command: z.string(),
  request_hash: z.string(),
  reply: z.unknown(),
});

const MovedRow = z.object({ hold_id: z.string(), changes: z.array(SeatChange), others: z.number() });

const conflict = () => new AppError('CONFLICT', 'idempotencyKey was already used for a different request');

/**
 * `hold:confirm` (mock payment) for a batch of requests in one transaction; a batch of one is the
 * single path. Lock order as in every seat transaction: the events (KEY SHARE, id order), then
 * the holds (FOR UPDATE, id order), then their seats (id order), so an event cancellation never
 * deadlocks with it and neither do two batches. Each request is decided against its locked hold:
 * not the owner's, not active (a retry of a committed confirm finds its stored reply here, under
 * the row lock that makes it final), expired, the sale closed (the event started or was
 * cancelled), or the payment declined (which changes nothing and is not recorded). Every
 * accepted one is written by one set-based statement (holds, bookings, seats, booked seats,
 * waitlist, audit, idempotency records) guarded by `status = 'active' AND expires_at > now()`, the
 * exact complement of the expiry worker's guard; the confirmation mails go to the outbox in the
 * same transaction. In a batch, the first request of a key or a hold wins; a later duplicate gets
 * its reply (same request) or CONFLICT.
 *
 * What fails the whole transaction (a key this user already used for another command, inserted
 * meanwhile; seats that moved under a locked hold) reruns a batch request by request
 * (writeWholeOrEach), so it fails only the request it belongs to; a lost connection (OVERLOADED)
 * fails them all, retryably.
 */
export function writeConfirmBatch(pool: Pool, items: readonly ConfirmRequest[], now: Date): Promise<ConfirmOutcome[]> {
  return writeWholeOrEach(items, (some) => withTransaction(pool, (tx) => confirmInTx(tx, some, now)));
}

async function confirmInTx(tx: Tx, items: readonly ConfirmRequest[], now: Date): Promise<ConfirmOutcome[]> {
  const holdIds = [...new Set(items.map((i) => i.payload.holdId))];
  // The events first (KEY SHARE, scanned in the CTE before any hold row is locked), then the
  // holds in id order (row locks are taken above the sort).
  const rows = await tx.any(
    sql.type(HoldRow)`WITH e AS MATERIALIZED (
       SELECT id, cancelled_at, coalesce(presale_starts_at, sale_starts_at) AS sale_starts_at, starts_at FROM events
        WHERE id IN (SELECT event_id FROM holds WHERE id = ANY(${sql.array(holdIds, 'uuid')}))
        ORDER BY id FOR KEY SHARE
     )
     SELECT h.id, h.user_id, h.event_id, h.status, h.expires_at > now() AS is_live, h.seat_count, h.total_cents,
            e.cancelled_at, e.sale_starts_at, e.starts_at,
            (SELECT json_agg(json_build_object('id', s.id, 'section', sec.name, 'row', s.row, 'number', s.number,
                                               'priceCents', hs.price_cents, 'sectionRank', sec.position))
               FROM hold_seats hs JOIN seats s ON s.id = hs.seat_id JOIN sections sec ON sec.id = s.section_id
              WHERE hs.hold_id = h.id) AS seats
       FROM holds h JOIN e ON e.id = h.event_id
      WHERE h.id = ANY(${sql.array(holdIds, 'uuid')}) ORDER BY h.id FOR UPDATE OF h`,
  );
  const holds = new Map(rows.map((r) => [r.id, r]));
  const stored = await storedReplies(tx, items, holds);

  const outcomes: (ConfirmOutcome | null)[] = items.map(() => null);
  const firstOfKey = new Map<string, number>();
  const takenHolds = new Set<string>();
  const accepted: { index: number; hold: HoldRow; reply: ConfirmReply }[] = [];
  items.forEach((item, index) => {
    const id = `${item.userId}:${item.idempotency.key}`;
    if (firstOfKey.has(id)) return; // answered after the first of its key, below
    firstOfKey.set(id, index);
    const hold = holds.get(item.payload.holdId);
    const decided = decide(item, hold, stored.get(id), takenHolds.has(item.payload.holdId), now);
    if (decided !== 'accept') {
      outcomes[index] = decided;
      return;
    }
    const h = hold as HoldRow;
    takenHolds.add(h.id);
    accepted.push({
      index,
      hold: h,
      reply: {
        bookingId: randomUUID(),
        reference: newReference(),
        eventId: h.event_id,
        seats: orderSeats(h.seats).map(toSeatRef),
        totalCents: h.total_cents,
        status: 'confirmed',
      },
    });
  });

  if (accepted.length > 0) {
    const moved = await moveHolds(tx, items, accepted);
    for (const a of accepted) {
      const m = moved.get(a.hold.id);
      if (!m || m.changes.length !== a.hold.seat_count) {
        // The hold row was locked and live, so this means its seats moved under us: abort it all.
        throw new Error(`confirm ${a.hold.id}: ${m?.changes.length ?? 0} of ${a.hold.seat_count} seats sold; rolling back`);
      }
      outcomes[a.index] = { reply: a.reply, changes: m.changes, replayed: false, lastHold: m.others === 0 };
    }
    // The confirmation mails, in this transaction: they exist exactly when the bookings do.
    await enqueueNotifications(
      tx,
      accepted.map((a) => ({ kind: 'booking_confirmed' as const, userId: a.hold.user_id, ...a.reply })),
    );
  }

  return items.map((item, index) => {
    const own = outcomes[index];
    if (own) return own;
    // A duplicate of an earlier request of this batch: its reply (or its refusal), or CONFLICT.
    const first = firstOfKey.get(`${item.userId}:${item.idempotency.key}`) as number;
    const firstOutcome = outcomes[first] as ConfirmOutcome;
    if ((items[first] as ConfirmRequest).idempotency.requestHash !== item.idempotency.requestHash) return conflict();
    return firstOutcome instanceof Error ? firstOutcome : { ...firstOutcome, changes: [], replayed: true, lastHold: false };
  });
}

/** One confirm decided against its locked hold (decideConfirm): accept, a stored reply, or a refusal. */
function decide(
  item: ConfirmRequest,
  hold: HoldRow | undefined,
  stored: z.infer<typeof StoredRow> | undefined,
  takenInBatch: boolean,
  now: Date,
): 'accept' | ConfirmOutcome {
  const decision = decideConfirm(
    {
      hold: hold && {
        userId: hold.user_id,
        status: hold.status,
        isLive: hold.is_live,
        sale: { cancelledAt: hold.cancelled_at, saleStartsAt: hold.sale_starts_at, startsAt: hold.starts_at },
      },
      stored: stored && { command: stored.command, requestHash: stored.request_hash },
      takenInBatch,
      now,
    },
    {
      userId: item.userId,
      command: item.idempotency.command,
      requestHash: item.idempotency.requestHash,
      paymentDeclined: item.payload.payment.outcome === 'decline',
    },
  );
  if (decision.kind === 'accept') return 'accept';
  if (decision.kind === 'refuse') return decision.error;
  return { reply: stored?.reply as ConfirmReply, changes: [], replayed: true, lastHold: false };
}

/**
 * Stored replies of the requests whose hold is no longer active (read after the hold locks, so a
 * duplicate that committed while we waited is seen); none on the hot path.
 */
async function storedReplies(
  tx: Tx,
  items: readonly ConfirmRequest[],
  holds: ReadonlyMap<string, HoldRow>,
): Promise<Map<string, z.infer<typeof StoredRow>>> {
  const asking = items.filter((i) => {
    const h = holds.get(i.payload.holdId);
    return h && h.user_id === i.userId && h.status !== 'active';
  });
  // Two requests on one hold in this batch: the second may be a duplicate of a committed one.
  const seen = new Set<string>();
  for (const i of items) {
    if (seen.has(i.payload.holdId)) asking.push(i);
    seen.add(i.payload.holdId);
  }
  if (asking.length === 0) return new Map();
  const rows = await tx.any(
    sql.type(StoredRow)`SELECT r.user_id, r.key, r.command, r.request_hash, r.reply
       FROM unnest(${sql.array(
         asking.map((i) => i.userId),
         'uuid',
       )}, ${sql.array(
         asking.map((i) => i.idempotency.key),
         'text',
       )}) AS k(user_id, key)
       JOIN idempotency_records r ON r.user_id = k.user_id AND r.key = k.key`,
  );
  return new Map(rows.map((r) => [`${r.user_id}:${r.key}`, r]));
}

/** Every accepted confirm written in one statement; per hold its seat changes and the owner's other live holds. */
async function moveHolds(
  tx: Tx,
  items: readonly ConfirmRequest[],
  accepted: readonly { index: number; hold: HoldRow; reply: ConfirmReply }[],
): Promise<Map<string, z.infer<typeof MovedRow>>> {
  const ids = sql.array(
    accepted.map((a) => a.hold.id),
    'uuid',
  );
  const req = (a: { index: number }) => items[a.index] as ConfirmRequest;
  const rows = await tx.any(
    sql.type(MovedRow)`WITH r AS (
       SELECT x.hold_id, x.booking_id, x.reference, x.key, x.request_hash, d.reply
         FROM unnest(${ids}, ${sql.array(
           accepted.map((a) => a.reply.bookingId),
           'uuid',
         )}, ${sql.array(
           accepted.map((a) => a.reply.reference),
           'text',
         )}, ${sql.array(
           accepted.map((a) => req(a).idempotency.key),
           'text',
         )}, ${sql.array(
           accepted.map((a) => req(a).idempotency.requestHash),
           'text',
         )}) WITH ORDINALITY AS x(hold_id, booking_id, reference, key, request_hash, n)
         JOIN ${jsonRows(accepted.map((a) => a.reply))} AS d(reply, n) USING (n)
     ), h AS (
       UPDATE holds SET status = 'confirmed', ended_at = now() FROM r
        WHERE holds.id = r.hold_id AND holds.status = 'active' AND holds.expires_at > now()
       RETURNING holds.id, holds.event_id, holds.user_id, holds.total_cents, r.booking_id, r.reference, r.key,
                 r.request_hash, r.reply
     ), b AS (
       INSERT INTO bookings (id, reference, event_id, user_id, hold_id, total_cents)
       SELECT booking_id, reference, event_id, user_id, id, total_cents FROM h RETURNING id
     ), lk AS MATERIALIZED (
       SELECT s.id, h.booking_id FROM seats s JOIN h ON s.hold_id = h.id ORDER BY s.id FOR UPDATE OF s
     ), s AS (
       UPDATE seats SET status = 'sold', booking_id = lk.booking_id, hold_id = NULL, version = seats.version + 1
         FROM lk WHERE seats.id = lk.id AND seats.status = 'held'
       RETURNING seats.id, seats.version, lk.booking_id
     ), bs AS (
       INSERT INTO booked_seats (booking_id, seat_id, price_cents)
       SELECT h.booking_id, hs.seat_id, hs.price_cents FROM hold_seats hs JOIN h ON hs.hold_id = h.id
     ), w AS (
       UPDATE waitlist_entries SET status = 'fulfilled', updated_at = now()
         FROM h WHERE waitlist_entries.offer_hold_id = h.id AND waitlist_entries.status = 'offered'
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT user_id, 'booking.confirmed', event_id, 'booking', booking_id::text,
              jsonb_build_object('holdId', id, 'totalCents', total_cents, 'payment', 'mock') FROM h
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT user_id, key, ${CONFIRM_COMMAND}::text, request_hash, reply FROM h
     )
     SELECT h.id AS hold_id,
            coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'sold', 'version', s.version))
                        FROM s WHERE s.booking_id = h.booking_id), '[]'::json) AS changes,
            (SELECT count(*) FROM holds o WHERE o.user_id = h.user_id AND o.event_id = h.event_id AND o.status = 'active'
                AND o.id <> ALL(${ids})) AS others
       FROM h`,
  );
  return new Map(rows.map((r) => [r.hold_id, r]));
}
