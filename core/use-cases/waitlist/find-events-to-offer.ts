import type { Queryable } from '../../db/pool.js';

/** Events on sale with someone waiting and at least one free seat: the sweep's offer list. */
export async function findEventsToOffer(db: Queryable, limit = 100): Promise<string[]> {
  const { rows } = await db.query<{ event_id: string }>(
    `SELECT DISTINCT w.event_id FROM waitlist_entries w JOIN events e ON e.id = w.event_id
      WHERE w.status = 'waiting' AND e.cancelled_at IS NULL AND e.starts_at > now()
        AND EXISTS (SELECT 1 FROM seats s WHERE s.event_id = w.event_id AND s.status = 'available')
      LIMIT $1`,
    [limit],
  );
  return rows.map((r) => r.event_id);
}
