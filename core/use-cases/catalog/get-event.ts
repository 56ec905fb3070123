import type { EventDetail } from '../../contract/http.js';
import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { EVENT_COLUMNS, type EventRow, toEventDetail } from './event-row.js';

export async function findEventRow(db: Queryable, eventId: string): Promise<EventRow | null> {
  const { rows } = await db.query<EventRow>(`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = $1`, [eventId]);
  return rows[0] ?? null;
}

export async function getEventRow(db: Queryable, eventId: string): Promise<EventRow> {
  const row = await findEventRow(db, eventId);
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  return row;
}

export async function getEvent(db: Queryable, eventId: string, now: Date): Promise<EventDetail> {
  const row = await getEventRow(db, eventId);
  const { rows } = await db.query<{ id: string; name: string; price_cents: number; capacity: number; available: number }>(
    `SELECT s.id, s.name, s.price_cents, s.rows * s.seats_per_row AS capacity,
            (SELECT count(*) FROM seats x WHERE x.section_id = s.id AND x.status = 'available') AS available
       FROM sections s WHERE s.event_id = $1 ORDER BY s.position`,
    [eventId],
  );
  const sections = rows.map((s) => ({
    id: s.id,
    name: s.name,
    priceCents: s.price_cents,
    capacity: s.capacity,
    available: s.available,
  }));
  return toEventDetail(row, sections, now);
}
