import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const PositionRow = z.object({ userId: z.string(), position: z.number() });

/** Every waiting user of the event with their 1-based place in line. */
export async function listWaitlistPositions(db: Db, eventId: string): Promise<{ userId: string; position: number }[]> {
  const rows = await db.any(
    sql.type(PositionRow)`SELECT user_id AS "userId", row_number() OVER (ORDER BY seq) AS position
       FROM waitlist_entries WHERE event_id = ${eventId} AND status = 'waiting' ORDER BY seq LIMIT 10000`,
  );
  return [...rows];
}
