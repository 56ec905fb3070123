import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { insertWaitlistEntry, type WaitlistSpot } from './insert-waitlist-entry.js';

const JoinFacts = z.object({
  cancelled_at: z.date().nullable(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  max_seats_per_user: z.number(),
  section_id: z.string().nullable(),
  has_available: z.boolean(),
});

export interface JoinWaitlist {
  eventId: string;
  userId: string;
  quantity: number;
  section: string | null;
  now: Date;
}

/**
 * `waitlist:join` (PROTOCOL v1.1 "Waitlist"): only for a sold-out event or section, FIFO per
 * event; joining again keeps the first entry and its place.
 */
export async function joinWaitlist(pool: Pool, j: JoinWaitlist): Promise<WaitlistSpot> {
  return withTransaction(pool, async (tx) => {
    const ev = await tx.maybeOne(
      sql.type(JoinFacts)`SELECT e.cancelled_at, e.sale_starts_at, e.starts_at, e.max_seats_per_user, sec.id AS section_id,
              EXISTS (SELECT 1 FROM seats s WHERE s.event_id = e.id AND s.status = 'available'
                         AND (${j.section}::text IS NULL OR s.section_id = sec.id)) AS has_available
         FROM events e LEFT JOIN sections sec ON sec.event_id = e.id AND sec.name = ${j.section}
        WHERE e.id = ${j.eventId} FOR KEY SHARE OF e`,
    );
    if (!ev) throw new AppError('NOT_FOUND', 'no such event');
    if (ev.cancelled_at || ev.starts_at <= j.now) throw new AppError('SALE_NOT_OPEN', 'this event is no longer on sale');
    if (j.section !== null && !ev.section_id) throw new AppError('VALIDATION_FAILED', `no section named ${j.section}`);
    if (j.quantity > ev.max_seats_per_user) {
      throw new AppError('HOLD_LIMIT_EXCEEDED', `at most ${ev.max_seats_per_user} seats per user for this event`, {
        maxSeatsPerUser: ev.max_seats_per_user,
      });
    }
    // The waitlist is for what the sale cannot give: while seats are on sale (or before it opens)
    // the way in is the waiting room, so nobody can pre-load the line or skip the queue.
    if (ev.has_available || ev.sale_starts_at > j.now) {
      throw new AppError(
        'NOT_ADMITTED',
        ev.has_available ? 'seats are available: join the waiting room' : 'the sale has not started: join the waiting room',
        { reason: 'seats_available' },
      );
    }
    const spot = await insertWaitlistEntry(tx, {
      eventId: j.eventId,
      userId: j.userId,
      quantity: j.quantity,
      sectionId: ev.section_id,
    });
    if (spot.created) {
      await writeAudit(tx, {
        actorId: j.userId,
        action: 'waitlist.joined',
        eventId: j.eventId,
        entityType: 'waitlist',
        entityId: j.userId,
        data: { quantity: j.quantity, section: j.section },
      });
    }
    return spot;
  });
}
