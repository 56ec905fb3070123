import type { Queryable } from '../../db/pool.js';

export interface WaitlistSpot {
  position: number;
  quantity: number;
  created: boolean;
}

/**
 * Puts the user at the back of the event's FIFO waitlist, or keeps the open entry they already
 * have (one open entry per user and event, enforced by a partial unique index). The position
 * counts waiting entries ahead plus one.
 */
export async function insertWaitlistEntry(
  tx: Queryable,
  e: { eventId: string; userId: string; quantity: number; sectionId: string | null },
): Promise<WaitlistSpot> {
  // Joins of one event take turns (until commit): the sequence then follows commit order, so the
  // position counted below is never the same for two concurrent joiners.
  await tx.query(`SELECT pg_advisory_xact_lock(hashtext('waitlist-join:' || $1))`, [e.eventId]);
  const { rows } = await tx.query<WaitlistSpot>(
    `WITH ins AS (
       INSERT INTO waitlist_entries (event_id, user_id, section_id, quantity) VALUES ($1, $2, $4, $3)
       ON CONFLICT (event_id, user_id) WHERE status IN ('waiting', 'offered') DO NOTHING
       RETURNING seq, quantity, true AS created
     ), mine AS (
       SELECT seq, quantity, created FROM ins
       UNION ALL
       SELECT seq, quantity, false FROM waitlist_entries
        WHERE event_id = $1 AND user_id = $2 AND status IN ('waiting', 'offered')
     )
     SELECT (SELECT count(*) FROM waitlist_entries w WHERE w.event_id = $1 AND w.status = 'waiting' AND w.seq < m.seq) + 1
              AS position, m.quantity, m.created
       FROM mine m ORDER BY m.seq LIMIT 1`,
    [e.eventId, e.userId, e.quantity, e.sectionId],
  );
  const row = rows[0];
  if (!row) throw new Error('waitlist entry vanished');
  return row;
}
