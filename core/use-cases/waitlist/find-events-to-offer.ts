import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Events on sale with someone waiting and at least one free seat: the sweep's offer list. */
export async function findEventsToOffer(db: Db, limit = 100): Promise<string[]> {
  const ids = await db.anyFirst(
    sql.type(
      z.object({ event_id: z.string() }),
    )`SELECT DISTINCT w.event_id FROM waitlist_entries w JOIN events e ON e.id = w.event_id
      WHERE w.status = 'waiting' AND e.cancelled_at IS NULL AND e.starts_at > now()
        AND EXISTS (SELECT 1 FROM seats s WHERE s.event_id = w.event_id AND s.status = 'available')
      LIMIT ${limit}`,
  );
  return [...ids];
}
