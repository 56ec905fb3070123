import type { Queryable } from '../../db/pool.js';

export async function eventExists(db: Queryable, eventId: string): Promise<boolean> {
  const { rows } = await db.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS found', [eventId]);
  return rows[0]?.found === true;
}
