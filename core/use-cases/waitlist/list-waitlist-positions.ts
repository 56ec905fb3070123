import type { Queryable } from '../../db/pool.js';

/** Every waiting user of the event with their 1-based place in line. */
export async function listWaitlistPositions(db: Queryable, eventId: string): Promise<{ userId: string; position: number }[]> {
  const { rows } = await db.query<{ userId: string; position: number }>(
    `SELECT user_id AS "userId", row_number() OVER (ORDER BY seq) AS position
       FROM waitlist_entries WHERE event_id = $1 AND status = 'waiting' ORDER BY seq LIMIT 10000`,
    [eventId],
  );
  return rows;
}
