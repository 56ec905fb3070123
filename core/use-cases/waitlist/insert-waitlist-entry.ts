import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export const WaitlistSpot = z.object({ position: z.number(), quantity: z.number(), created: z.boolean() });
export type WaitlistSpot = z.infer<typeof WaitlistSpot>;

/**
 * Puts the user at the back of the event's FIFO waitlist, or keeps the open entry they already
 * have (one open entry per user and event, enforced by a partial unique index). The position
 * counts waiting entries ahead plus one.
 */
export async function insertWaitlistEntry(
  tx: Db,
  e: { eventId: string; userId: string; quantity: number; sectionId: string | null },
): Promise<WaitlistSpot> {
  // Joins of one event take turns (until commit): the sequence then follows commit order, so the
  // position counted below is never the same for two concurrent joiners.
  await tx.query(
    sql.type(
      z.object({ locked: z.number() }),
    )`SELECT count(pg_advisory_xact_lock(hashtext('waitlist-join:' || ${e.eventId}::text)))::int
      AS locked`,
  );
  const row = await tx.maybeOne(
    sql.type(WaitlistSpot)`WITH ins AS (
       INSERT INTO waitlist_entries (event_id, user_id, section_id, quantity)
       VALUES (${e.eventId}, ${e.userId}, ${e.sectionId}, ${e.quantity})
       ON CONFLICT (event_id, user_id) WHERE status IN ('waiting', 'offered') DO NOTHING
       RETURNING seq, quantity, true AS created
     ), mine AS (
       SELECT seq, quantity, created FROM ins
       UNION ALL
       SELECT seq, quantity, false FROM waitlist_entries
        WHERE event_id = ${e.eventId} AND user_id = ${e.userId} AND status IN ('waiting', 'offered')
     )
     SELECT (SELECT count(*) FROM waitlist_entries w WHERE w.event_id = ${e.eventId} AND w.status = 'waiting' AND w.seq < m.seq) + 1
              AS position, m.quantity, m.created
       FROM mine m ORDER BY m.seq LIMIT 1`,
  );
  if (!row) throw new Error('waitlist entry vanished');
  return row;
}
