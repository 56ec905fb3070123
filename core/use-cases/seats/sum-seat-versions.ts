import type { Queryable } from '../../db/pool.js';

/**
 * Sum of the event's seat versions, or null for an unknown event. Versions only grow and a
 * gateway's copy of a seat is never newer than its row, so equal sums mean no change is
 * missing: the cheap check the repair pass runs every few seconds per live event.
 */
export async function sumSeatVersions(db: Queryable, eventId: string): Promise<number | null> {
  const { rows } = await db.query<{ total: number | null }>(
    'SELECT sum(version)::bigint AS total FROM seats WHERE event_id = $1',
    [eventId],
  );
  return rows[0]?.total ?? null;
}
