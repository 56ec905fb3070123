import { z } from 'zod';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export const SeatVersion = z.object({
  id: z.string(),
  status: z.enum(['available', 'held', 'sold']),
  version: z.number(),
});
export type SeatVersion = z.infer<typeof SeatVersion>;
/** Every seat of a live event, every few seconds per gateway while a sale changes them: the light check. */
const LightSeatVersion = lightRow(SeatVersion);

/** Status and version of every seat of the event: what the repair pass compares memory with
 * when the version sums disagree (matched by id, so no ordering needed). */
export async function findSeatVersions(db: Db, eventId: string): Promise<SeatVersion[]> {
  return [...(await db.any(sql.type(LightSeatVersion)`SELECT id, status, version FROM seats WHERE event_id = ${eventId}`))];
}
