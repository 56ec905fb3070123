import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export const SeatVersion = z.object({
  id: z.string(),
  status: z.enum(['available', 'held', 'sold']),
  version: z.number(),
});
export type SeatVersion = z.infer<typeof SeatVersion>;

/** Status and version of every seat of the event: what the repair pass compares memory with
 * when the version sums disagree (matched by id, so no ordering needed). */
export async function findSeatVersions(db: Db, eventId: string): Promise<SeatVersion[]> {
  return [...(await db.any(sql.type(SeatVersion)`SELECT id, status, version FROM seats WHERE event_id = ${eventId}`))];
}
