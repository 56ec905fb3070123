import type { EventSummary } from '../../contract/http.js';
import type { Queryable } from '../../db/pool.js';
import { EVENT_COLUMNS, type EventRow, toEventSummary } from './event-row.js';

/** Upcoming, not cancelled events, soonest first. */
export async function listEvents(db: Queryable, now: Date, limit = 100): Promise<EventSummary[]> {
  const { rows } = await db.query<EventRow>(
    `SELECT ${EVENT_COLUMNS} FROM events e
      WHERE e.cancelled_at IS NULL AND e.starts_at > $1
      ORDER BY e.starts_at, e.id LIMIT $2`,
    [now, limit],
  );
  return rows.map((r) => toEventSummary(r, now));
}
