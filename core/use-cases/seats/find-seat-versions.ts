import type { Queryable } from '../../db/pool.js';

export interface SeatVersion {
  id: string;
  status: 'available' | 'held' | 'sold';
  version: number;
}

/** Status and version of every seat of the event: what the repair pass compares memory with
 * when the version sums disagree (matched by id, so no ordering needed). */
export async function findSeatVersions(db: Queryable, eventId: string): Promise<SeatVersion[]> {
  const { rows } = await db.query<SeatVersion>('SELECT id, status, version FROM seats WHERE event_id = $1', [eventId]);
  return rows;
}
