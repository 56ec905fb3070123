import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SeatRef } from '../../contract/primitives.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
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

const Head = z.object({
  id: z.string(),
  user_id: z.string(),
  quantity: z.number(),
  section_id: z.string().nullable(),
  cancelled_at: z.date().nullable(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  max_seats_per_user: z.number(),
  expires_at: z.date(),
});

const FreeSeatRow = z.object({ id: z.string(), sectionRank: z.number(), row: z.number(), number: z.number() });

const LockedSeat = z.object({
  id: z.string(),
  version: z.number(),
  status: z.string(),
  section: z.string(),
  section_rank: z.number(),
  row: z.number(),
  number: z.number(),
  price_cents: z.number(),
});

const Locked = z.object({ locked: z.number() });

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

async function offerToHead(tx: Tx, eventId: string, ttlSeconds: number, now: Date): Promise<Step> {
  // One offerer per event at a time, whichever worker runs the job.
  await tx.query(
    sql.type(Locked)`SELECT count(pg_advisory_xact_lock(hashtext('waitlist-offer:' || ${eventId}::text)))::int AS locked`,
  );
  // The lock order of every seat transaction: event row, per-user lock, waitlist row, seats.
  await tx.query(sql.type(Locked)`SELECT 1 AS locked FROM events WHERE id = ${eventId} FOR KEY SHARE`);
  const head = await tx.maybeOne(
    sql.type(Head)`SELECT w.id, w.user_id, w.quantity, w.section_id, e.cancelled_at, e.sale_starts_at, e.starts_at,
            e.max_seats_per_user, now() + make_interval(secs => ${ttlSeconds}) AS expires_at
       FROM waitlist_entries w JOIN events e ON e.id = w.event_id
      WHERE w.event_id = ${eventId} AND w.status = 'waiting' ORDER BY w.seq LIMIT 1`,
  );
  if (!head) return { kind: 'done' };
  if (!isSaleOpen({ cancelledAt: head.cancelled_at, saleStartsAt: head.sale_starts_at, startsAt: head.starts_at }, now)) {
    return { kind: 'done' };
  }
  // The same per-user lock and count as seats:hold, then the entry (a leave may have closed it).
  await tx.query(
    sql.type(Locked)`SELECT count(pg_advisory_xact_lock(${holdLimitLockKey(head.user_id, eventId)}::bigint))::int AS locked`,
  );
  const { rowCount } = await tx.query(
    sql.type(Locked)`SELECT 1 AS locked FROM waitlist_entries WHERE id = ${head.id} AND status = 'waiting' FOR UPDATE`,
  );
  if (!rowCount) return { kind: 'skipped' };
  const current = await tx.oneFirst(
    sql.type(z.object({ current: z.number() }))`SELECT (SELECT coalesce(sum(seat_count), 0) FROM holds
              WHERE user_id = ${head.user_id} AND event_id = ${eventId} AND status = 'active' AND expires_at > now())
          + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
              WHERE b.user_id = ${head.user_id} AND b.event_id = ${eventId} AND b.status = 'confirmed') AS current`,
  );
  const allowance = Math.min(head.quantity, seatAllowance(head.max_seats_per_user, current));
  if (allowance <= 0) {
    await tx.query(
      sql.typeAlias('void')`UPDATE waitlist_entries SET status = 'lapsed', updated_at = now() WHERE id = ${head.id}`,
    );
    return { kind: 'skipped' };
  }
  const free: FreeSeat[] = [
    ...(await tx.any(
      sql.type(FreeSeatRow)`SELECT f.id, sec.position AS "sectionRank", f.row, f.number
       FROM sections sec CROSS JOIN LATERAL (
              SELECT s.id, s.row, s.number FROM seats s
               WHERE s.section_id = sec.id AND s.status = 'available' ORDER BY s.row, s.number LIMIT 2000) f
      WHERE sec.event_id = ${eventId} AND (${head.section_id}::uuid IS NULL OR sec.id = ${head.section_id}::uuid)
      ORDER BY sec.position, f.row, f.number LIMIT 2000`,
    )),
  ];
  const chosen = chooseBestSeats(free, allowance);
  if (chosen.length === 0) return { kind: 'done' };
  // Seats another transaction is taking right now are skipped, not waited for.
  const locked = await tx.any(
    sql.type(LockedSeat)`SELECT s.id, s.version, s.status, sec.name AS section, sec.position AS section_rank, s.row, s.number,
            sec.price_cents
       FROM seats s JOIN sections sec ON sec.id = s.section_id
      WHERE s.id = ANY(${sql.array(chosen, 'uuid')}) ORDER BY s.id FOR UPDATE OF s SKIP LOCKED`,
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
  await tx.query(
    sql.typeAlias('void')`UPDATE waitlist_entries SET status = 'offered', offer_hold_id = ${holdId}, updated_at = now()
      WHERE id = ${head.id}`,
  );
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
