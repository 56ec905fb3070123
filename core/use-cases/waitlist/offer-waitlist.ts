import { randomUUID } from 'node:crypto';
import type { SeatRef } from '../../contract/primitives.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool, PoolClient } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { chooseBestSeats, type FreeSeat } from '../../domain/choose-best-seats.js';
import { isSaleOpen } from '../../domain/event-status.js';
import { orderSeats, toSeatRef, totalCents } from '../../domain/order-seats.js';
import { seatAllowance } from '../../domain/seat-allowance.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { holdLimitLockKey } from '../holds/hold-limit-lock-key.js';
import { insertHold } from '../holds/insert-hold.js';
import { enqueueNotification } from '../notifications/enqueue-notification.js';
import { countWaitingRoom } from './count-waiting-room.js';

export interface WaitlistOffer {
  eventId: string;
  userId: string;
  holdId: string;
  seats: SeatRef[];
  totalCents: number;
  expiresAt: Date;
  changes: SeatChange[];
}

type Step = { kind: 'offered'; offer: WaitlistOffer } | { kind: 'skipped' } | { kind: 'done' };

interface Head {
  id: string;
  user_id: string;
  quantity: number;
  section_id: string | null;
  cancelled_at: Date | null;
  sale_starts_at: Date;
  starts_at: Date;
  max_seats_per_user: number;
  expires_at: Date;
}

/**
 * Offers free seats to the head of the event's waitlist, one entry per transaction, until the
 * line is empty or no seat is free, and only while nobody waits in the event's waiting room
 * (PROTOCOL v1.1: freed seats go to the sale first). Each offer is a hold made for that user (source 'waitlist',
 * its own TTL); an offer not confirmed in time expires like any hold, lapses the entry, and the
 * freed seats go to the next entry. An offer covers up to the quantity asked for (fewer when fewer
 * are free) within the user's per-event limit; a user already at the limit is passed over.
 */
export async function offerWaitlist(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  eventId: string,
  offerTtlSeconds: number,
  now: () => Date,
): Promise<WaitlistOffer[]> {
  const offers: WaitlistOffer[] = [];
  for (let i = 0; i < 1000; i++) {
    // Asked before every offer: someone may have joined the room since (seats are free again).
    // Redis away means the answer is unknown: the job fails and is retried, nothing is offered.
    if ((await countWaitingRoom(deps, eventId)) > 0) break;
    const step = await withTransaction(deps.pool, (tx) => offerToHead(tx, eventId, offerTtlSeconds, now()));
    if (step.kind === 'done') break;
    if (step.kind === 'offered') offers.push(step.offer);
  }
  return offers;
}

async function offerToHead(tx: PoolClient, eventId: string, ttlSeconds: number, now: Date): Promise<Step> {
  // One offerer per event at a time, whichever worker runs the job.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('waitlist-offer:' || $1))`, [eventId]);
  // The lock order of every seat transaction: event row, per-user lock, waitlist row, seats.
  await tx.query('SELECT 1 FROM events WHERE id = $1 FOR KEY SHARE', [eventId]);
  const { rows } = await tx.query<Head>(
    `SELECT w.id, w.user_id, w.quantity, w.section_id, e.cancelled_at, e.sale_starts_at, e.starts_at,
            e.max_seats_per_user, now() + make_interval(secs => $2) AS expires_at
       FROM waitlist_entries w JOIN events e ON e.id = w.event_id
      WHERE w.event_id = $1 AND w.status = 'waiting' ORDER BY w.seq LIMIT 1`,
    [eventId, ttlSeconds],
  );
  const head = rows[0];
  if (!head) return { kind: 'done' };
  if (!isSaleOpen({ cancelledAt: head.cancelled_at, saleStartsAt: head.sale_starts_at, startsAt: head.starts_at }, now)) {
    return { kind: 'done' };
  }
  // The same per-user lock and count as seats:hold, then the entry (a leave may have closed it).
  await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [holdLimitLockKey(head.user_id, eventId)]);
  const { rowCount } = await tx.query(`SELECT 1 FROM waitlist_entries WHERE id = $1 AND status = 'waiting' FOR UPDATE`, [
    head.id,
  ]);
  if (!rowCount) return { kind: 'skipped' };
  const { rows: counts } = await tx.query<{ current: number }>(
    `SELECT (SELECT coalesce(sum(seat_count), 0) FROM holds
              WHERE user_id = $1 AND event_id = $2 AND status = 'active' AND expires_at > now())
          + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
              WHERE b.user_id = $1 AND b.event_id = $2 AND b.status = 'confirmed') AS current`,
    [head.user_id, eventId],
  );
  const allowance = Math.min(head.quantity, seatAllowance(head.max_seats_per_user, counts[0]?.current ?? 0));
  if (allowance <= 0) {
    await tx.query(`UPDATE waitlist_entries SET status = 'lapsed', updated_at = now() WHERE id = $1`, [head.id]);
    return { kind: 'skipped' };
  }
  const { rows: free } = await tx.query<FreeSeat>(
    `SELECT f.id, sec.position AS "sectionRank", f.row, f.number
       FROM sections sec CROSS JOIN LATERAL (
              SELECT s.id, s.row, s.number FROM seats s
               WHERE s.section_id = sec.id AND s.status = 'available' ORDER BY s.row, s.number LIMIT 2000) f
      WHERE sec.event_id = $1 AND ($2::uuid IS NULL OR sec.id = $2)
      ORDER BY sec.position, f.row, f.number LIMIT 2000`,
    [eventId, head.section_id],
  );
  const chosen = chooseBestSeats(free, allowance);
  if (chosen.length === 0) return { kind: 'done' };
  // Seats another transaction is taking right now are skipped, not waited for.
  const { rows: locked } = await tx.query<{
    id: string;
    version: number;
    status: string;
    section: string;
    section_rank: number;
    row: number;
    number: number;
    price_cents: number;
  }>(
    `SELECT s.id, s.version, s.status, sec.name AS section, sec.position AS section_rank, s.row, s.number, sec.price_cents
       FROM seats s JOIN sections sec ON sec.id = s.section_id
      WHERE s.id = ANY($1::uuid[]) ORDER BY s.id FOR UPDATE OF s SKIP LOCKED`,
    [chosen],
  );
  const seats = locked.filter((s) => s.status === 'available');
  if (seats.length === 0) return { kind: 'done' };
  const holdId = randomUUID();
  const changes = await insertHold(tx, {
    holdId,
    eventId,
    userId: head.user_id,
    source: 'waitlist',
    seats: seats.map((s) => ({ id: s.id, version: s.version, priceCents: s.price_cents })),
    expiresAt: head.expires_at,
    actorId: null,
  });
  await tx.query(`UPDATE waitlist_entries SET status = 'offered', offer_hold_id = $2, updated_at = now() WHERE id = $1`, [
    head.id,
    holdId,
  ]);
  const refs = orderSeats(
    seats.map((s) => ({
      id: s.id,
      section: s.section,
      sectionRank: s.section_rank,
      row: s.row,
      number: s.number,
      priceCents: s.price_cents,
    })),
  ).map(toSeatRef);
  await enqueueNotification(tx, {
    kind: 'waitlist_offer',
    userId: head.user_id,
    eventId,
    holdId,
    totalCents: totalCents(refs),
    seats: refs,
    expiresAt: head.expires_at,
  });
  return {
    kind: 'offered',
    offer: {
      eventId,
      userId: head.user_id,
      holdId,
      seats: refs,
      totalCents: totalCents(refs),
      expiresAt: head.expires_at,
      changes,
    },
  };
}
