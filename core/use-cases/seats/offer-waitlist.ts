import { z } from 'zod';
import type { HoldReply } from '../../contract/commands.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { countWaitingRoom } from '../waiting-room/count-waiting-room.js';
import { type BatchHoldOutcome, writeHoldBatch } from './write-hold-batch.js';

const Head = z.object({ id: z.string(), user_id: z.string(), quantity: z.number(), section: z.string().nullable() });

/**
 * Offers free seats to the head of the event's waitlist, one entry at a time, until the line is
 * empty or no seat is free, and only while nobody waits in the event's waiting room (freed seats
 * go to the sale first). Each offer is a request to the hold batch writer (writeHoldBatch, a
 * batch of one; decideHold decides it like any hold): a hold made for that user (source
 * 'waitlist', its own TTL) of up to the quantity asked for (fewer when fewer are free) within
 * the user's per-event limit; a user already at the limit is passed over (their entry lapses).
 * An offer not confirmed in time expires like any hold, lapses the entry, and the freed seats
 * go to the next entry. Returns each offer's effects: its seats held, its expiry, and the
 * `waitlist:offer` push to its user; the last also tells the line its new places.
 */
export async function offerWaitlist(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  eventId: string,
  offerTtlSeconds: number,
  now: () => Date,
): Promise<SeatChangeEffects[]> {
  const offers: SeatChangeEffects[] = [];
  for (let i = 0; i < 1000; i++) {
    // Asked before every offer: someone may have joined the room since (seats are free again).
    // Redis away means the answer is unknown: the job fails and is retried, nothing is offered.
    if ((await countWaitingRoom(deps, eventId)) > 0) break;
    // Read without locks: the writer offers only to an entry still waiting under the offer lock.
    const head = await deps.pool.maybeOne(
      sql.type(Head)`SELECT w.id, w.user_id, w.quantity, sec.name AS section
         FROM waitlist_entries w LEFT JOIN sections sec ON sec.id = w.section_id
        WHERE w.event_id = ${eventId} AND w.status = 'waiting' ORDER BY w.seq LIMIT 1`,
    );
    if (!head) break;
    const [outcome] = await writeHoldBatch(
      deps.pool,
      eventId,
      [
        {
          userId: head.user_id,
          request: { quantity: head.quantity, section: head.section, acceptPartial: true, waitlistOffer: true },
          asker: { kind: 'offer', entryId: head.id, ttlSeconds: offerTtlSeconds },
        },
      ],
      now(),
    );
    const step = stepOf(outcome as BatchHoldOutcome);
    if (step === 'done') break;
    if (step !== 'next') offers.push(offerEffects(eventId, head.user_id, step));
  }
  // The line moved up: its waiting users hear their new place once, after the offers.
  const last = offers.at(-1);
  if (last) last.lineMoved = { afterSeq: null };
  return offers;
}

/** An offer made: its seats held, its expiry scheduled, its user told. */
function offerEffects(eventId: string, userId: string, held: HoldReply & { changes: SeatChange[] }): SeatChangeEffects {
  const { holdId, seats, totalCents, expiresAt, changes } = held;
  const payload = { eventId, holdId, seats, totalCents, expiresAt };
  return {
    eventId,
    changes,
    newHold: { holdId, expiresAt: new Date(expiresAt) },
    pushes: [{ userId, push: { name: 'waitlist:offer', payload } }],
  };
}

/** What an offer's outcome means for the line: an offer made, on to the next entry, or stop. */
function stepOf(o: BatchHoldOutcome) {
  switch (o.kind) {
    case 'held':
      return { ...o.reply, changes: o.changes };
    // Left the line meanwhile, or at their limit (the entry lapsed): the next one's turn.
    case 'closed':
      return 'next' as const;
    case 'refused':
      if (o.error.code === 'HOLD_LIMIT_EXCEEDED') return 'next' as const;
      // The sale is not open (cancelled, started, not yet public): nobody gets an offer now.
      if (o.error.code === 'SALE_NOT_OPEN') return 'done' as const;
      throw o.error;
    default:
      // No free seat left that nobody else is taking right now.
      return 'done' as const;
  }
}
