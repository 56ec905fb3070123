import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const PositionRow = z.object({ userId: z.string(), position: z.number() });

/**
 * Every waiting user of the event with their 1-based place in line; with `afterSeq`, only those
 * behind that order number (the ones whose place moved when the entry at it left).
 */
export async function listWaitlistPositions(
  db: Db,
  eventId: string,
  afterSeq: string | null = null,
): Promise<{ userId: string; position: number }[]> {
  const rows = await db.any(
    sql.type(PositionRow)`SELECT "userId", position FROM (
         SELECT user_id AS "userId", seq, row_number() OVER (ORDER BY seq) AS position
           FROM waitlist_entries WHERE event_id = ${eventId} AND status = 'waiting') line
        WHERE ${afterSeq === null ? sql.fragment`TRUE` : sql.fragment`seq > ${afterSeq}::bigint`}
        ORDER BY seq LIMIT 10000`,
  );
  return [...rows];
}
