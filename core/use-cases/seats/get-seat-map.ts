import type { SeatState } from '../../contract/primitives.js';
import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';

/** The snapshot `seats:subscribe` answers: every seat with its status and per-seat version. */
export async function getSeatMap(db: Queryable, eventId: string): Promise<SeatState[]> {
  const { rows } = await db.query<SeatState>(
    `SELECT s.id, sec.name AS section, s.row, s.number, sec.price_cents AS "priceCents", s.status, s.version
       FROM seats s JOIN sections sec ON sec.id = s.section_id
      WHERE s.event_id = $1 ORDER BY sec.position, s.row, s.number`,
    [eventId],
  );
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such event');
  return rows;
}
