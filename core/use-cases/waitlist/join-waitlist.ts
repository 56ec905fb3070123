import { z } from 'zod';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { type BatchedDeps, type Batcher, submitOne, writeWholeOrEach } from '../holds/command-batcher.js';
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

/**
 * `waitlist:join` (PROTOCOL v1.1 "Waitlist"): only for a sold-out event or section, FIFO per
 * event; joining again keeps the first entry and its place. One request of a group-commit batch
 * of its event (writeWaitlistBatch), or a batch of one.
 */
export function joinWaitlist(deps: WaitlistDeps, j: JoinWaitlist): Promise<WaitlistSpot> {
  return submitOne(deps, j.eventId, j, (pool, batch) => writeWaitlistBatch(pool, j.eventId, batch));
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
  const outcomes: (JoinOutcome | null)[] = items.map((j) => {
    if (ev.cancelled_at || ev.starts_at <= j.now) return new AppError('SALE_NOT_OPEN', 'this event is no longer on sale');
    const section = j.section === null ? null : sections.get(j.section);
    if (section === undefined) return new AppError('VALIDATION_FAILED', `no section named ${j.section}`);
    if (j.quantity > ev.max_seats_per_user) {
      return new AppError('HOLD_LIMIT_EXCEEDED', `at most ${ev.max_seats_per_user} seats per user for this event`, {
        maxSeatsPerUser: ev.max_seats_per_user,
      });
    }
    // The waitlist is for what the sale cannot give: while seats are on sale (or before it opens)
    // the way in is the waiting room, so nobody can pre-load the line or skip the queue.
    const available = section === null ? ev.any_available : section.available;
    if (available || ev.sale_starts_at > j.now) {
      return new AppError(
        'NOT_ADMITTED',
        available ? 'seats are available: join the waiting room' : 'the sale has not started: join the waiting room',
        { reason: 'seats_available' },
      );
    }
    return null;
  });
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
