import { z } from 'zod';
import type { EventDetail } from '../../contract/http.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { EVENT_COLUMNS, EventRow, toEventDetail } from './event-row.js';

const SectionRow = z.object({
  id: z.string(),
  name: z.string(),
  price_cents: z.number(),
  capacity: z.number(),
  available: z.number(),
  rows: z.number(),
  seats_per_row: z.number(),
});

export async function findEventRow(db: Db, eventId: string): Promise<EventRow | null> {
  return db.maybeOne(sql.type(EventRow)`SELECT ${EVENT_COLUMNS} FROM events e WHERE e.id = ${eventId}`);
}

export async function getEventRow(db: Db, eventId: string): Promise<EventRow> {
  const row = await findEventRow(db, eventId);
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  return row;
}

export async function getEvent(db: Db, eventId: string, now: Date): Promise<EventDetail> {
  const row = await getEventRow(db, eventId);
  const rows = await db.any(
    sql.type(SectionRow)`SELECT s.id, s.name, s.price_cents, s.rows * s.seats_per_row AS capacity, s.rows, s.seats_per_row,
            (SELECT count(*) FROM seats x WHERE x.section_id = s.id AND x.status = 'available') AS available
       FROM sections s WHERE s.event_id = ${eventId} ORDER BY s.position`,
  );
  const sections = rows.map((s) => ({
    id: s.id,
    name: s.name,
    priceCents: s.price_cents,
    capacity: s.capacity,
    available: s.available,
    rows: s.rows,
    seatsPerRow: s.seats_per_row,
  }));
  return toEventDetail(row, sections, now);
}
