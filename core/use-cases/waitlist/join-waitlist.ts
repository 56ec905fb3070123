import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { insertWaitlistEntry, type WaitlistSpot } from './insert-waitlist-entry.js';

export interface JoinWaitlist {
  eventId: string;
  userId: string;
  quantity: number;
  section: string | null;
  now: Date;
}

/** `waitlist:join`: FIFO per event; joining again keeps the first entry and its place. */
export async function joinWaitlist(pool: Pool, j: JoinWaitlist): Promise<WaitlistSpot> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{
      cancelled_at: Date | null;
      starts_at: Date;
      max_seats_per_user: number;
      section_id: string | null;
    }>(
      `SELECT e.cancelled_at, e.starts_at, e.max_seats_per_user,
              (SELECT id FROM sections WHERE event_id = e.id AND name = $2) AS section_id
         FROM events e WHERE e.id = $1 FOR KEY SHARE OF e`,
      [j.eventId, j.section],
    );
    const ev = rows[0];
    if (!ev) throw new AppError('NOT_FOUND', 'no such event');
    if (ev.cancelled_at || ev.starts_at <= j.now) throw new AppError('SALE_NOT_OPEN', 'this event is no longer on sale');
    if (j.section !== null && !ev.section_id) throw new AppError('VALIDATION_FAILED', `no section named ${j.section}`);
    if (j.quantity > ev.max_seats_per_user) {
      throw new AppError('HOLD_LIMIT_EXCEEDED', `at most ${ev.max_seats_per_user} seats per user for this event`, {
        maxSeatsPerUser: ev.max_seats_per_user,
      });
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
