import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/**
 * Sum of the event's seat versions, or null for an unknown event. Versions only grow and a
 * gateway's copy of a seat is never newer than its row, so equal sums mean no change is
 * missing: the cheap check the repair pass runs every few seconds per live event.
 */
export async function sumSeatVersions(db: Db, eventId: string): Promise<number | null> {
  return db.oneFirst(
    sql.type(
      z.object({ total: z.number().nullable() }),
    )`SELECT sum(version)::bigint AS total FROM seats WHERE event_id = ${eventId}`,
  );
}
