import { z } from 'zod';
import { type BatchedDeps, type Batcher, submitOne, writeWholeOrEach } from '../../batching/command-batcher.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { decideWaitlistJoin } from '../../domain/decide-waitlist-join.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { insertWaitlistEntries, type WaitlistSpot } from './insert-waitlist-entry.js';

const JoinFacts = z.object({
  cancelled_at: z.date().nullable(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  max_seats_per_user: z.number(),
  any_available: z.boolean(),
  sections: z.array(z.object({ name: z.string(), id: z.string(), available: z.boolean() })),
});

export interface JoinWaitlist {
  eventId: string;
  userId: string;
  quantity: number;
  section: string | null;
  now: Date;
}

/** One request's outcome: its place, or the refusal it alone gets. */
export type JoinOutcome = WaitlistSpot | Error;

export type WaitlistBatcher = Batcher<JoinWaitlist, JoinOutcome>;

export type WaitlistDeps = BatchedDeps<JoinWaitlist, WaitlistSpot>;

export interface JoinedWaitlist extends WaitlistSpot {
  /** A new entry: seats may be free right now (released before anyone was waiting), so a worker
   * is asked to offer them. */
  effects: SeatChangeEffects;
}

/**
 * `waitlist:join` (PROTOCOL "Waitlist"): only for a sold-out event or section, FIFO per
 * event; joining again keeps the first entry and its place. One request of a group-commit batch
 * of its event (writeWaitlistBatch). With the seats, not the waitlist: a join is decided against
 * the seats (sold out, the allowance) by one of the seat batch writers, and a hold that waitlists
 * its rest joins here, so the waitlist folder uses seats and seats never use it.
 */
export async function joinWaitlist(deps: WaitlistDeps, j: JoinWaitlist): Promise<JoinedWaitlist> {
  const spot = await submitOne(deps, j.eventId, j);
  return { ...spot, effects: { eventId: j.eventId, changes: [], offerWaitlist: spot.created } };
}

/**
 * Joins of one event in one transaction: the event's facts once (KEY SHARE), each request
 * checked against them, then every accepted one placed in request order with one turn of the
 * event's join lock (insertWaitlistEntries): under a sold-out rush, joins took that lock one by
 * one and queued for it holding their pool connections (30 ms each on average, most of the
 * database's time in a 20,000-user sale).
 */
export function writeWaitlistBatch(pool: Pool, eventId: string, items: readonly JoinWaitlist[]): Promise<JoinOutcome[]> {
  return writeWholeOrEach(items, (some) => withTransaction(pool, (tx) => joinInTx(tx, eventId, some)));
}

async function joinInTx(tx: Tx, eventId: string, items: readonly JoinWaitlist[]): Promise<JoinOutcome[]> {
  const names = [...new Set(items.flatMap((i) => (i.section === null ? [] : [i.section])))];
  const ev = await tx.maybeOne(
    sql.type(JoinFacts)`SELECT e.cancelled_at, e.sale_starts_at, e.starts_at, e.max_seats_per_user,
            EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.status = 'available') AS any_available,
            coalesce((SELECT json_agg(json_build_object('name', sec.name, 'id', sec.id, 'available',
                        EXISTS (SELECT 1 FROM seats s WHERE s.section_id = sec.id AND s.status = 'available')))
                        FROM sections sec WHERE sec.event_id = e.id AND sec.name = ANY(${sql.array(names, 'text')})),
                     '[]'::json) AS sections
       FROM events e WHERE e.id = ${eventId} FOR KEY SHARE OF e`,
  );
  if (!ev) throw new AppError('NOT_FOUND', 'no such event');
  const sections = new Map(ev.sections.map((s) => [s.name, s]));
  const facts = {
    cancelled: ev.cancelled_at !== null,
    saleStartsAtMs: ev.sale_starts_at.getTime(),
    startsAtMs: ev.starts_at.getTime(),
    maxSeatsPerUser: ev.max_seats_per_user,
    anyAvailable: ev.any_available,
    sections,
  };
  const outcomes: (JoinOutcome | null)[] = items.map((j) =>
    decideWaitlistJoin(facts, { quantity: j.quantity, section: j.section, nowMs: j.now.getTime() }),
  );
  const accepted = items.filter((_, i) => outcomes[i] === null);
  const spots = await insertWaitlistEntries(
    tx,
    eventId,
    accepted.map((j) => ({
      userId: j.userId,
      quantity: j.quantity,
      sectionId: j.section === null ? null : (sections.get(j.section)?.id ?? null),
      audit: { quantity: j.quantity, section: j.section },
    })),
  );
  const answered = new Set<string>();
  return items.map((j, i) => {
    const own = outcomes[i];
    if (own) return own;
    const spot = spots.get(j.userId);
    if (!spot) return new Error('waitlist entry vanished');
    // A second join of the same user in this batch keeps the first one's entry.
    const created = spot.created && !answered.has(j.userId);
    answered.add(j.userId);
    return { ...spot, created };
  });
}
