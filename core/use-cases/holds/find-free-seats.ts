import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import type { FreeSeat } from '../../domain/choose-best-seats.js';

/**
 * Free seats best-available chooses from, best places first, read per section through the
 * partial index `seats_free_by_place` (never a sort of every free seat of the event). Read without locks: the choice is
 * re-checked under row locks in the transaction. The window bounds the read for big venues;
 * the best rows are always in it.
 */
export async function findFreeSeats(db: Queryable, eventId: string, section: string | null, window: number): Promise<FreeSeat[]> {
  const { rows } = await db.query<FreeSeat>({
    name: 'find-free-seats',
    text: `SELECT f.id, sec.position AS "sectionRank", f.row, f.number
             FROM sections sec CROSS JOIN LATERAL (
                    SELECT s.id, s.row, s.number FROM seats s
                     WHERE s.section_id = sec.id AND s.status = 'available'
                     ORDER BY s.row, s.number LIMIT $3) f
            WHERE sec.event_id = $1 AND ($2::text IS NULL OR sec.name = $2)
            ORDER BY sec.position, f.row, f.number LIMIT $3`,
    values: [eventId, section, window],
  });
  if (rows.length > 0) return rows;
  // Nothing free: say why, precisely.
  const { rows: found } = await db.query<{ event: boolean; section: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM events WHERE id = $1) AS event,
            $2::text IS NULL OR EXISTS (SELECT 1 FROM sections WHERE event_id = $1 AND name = $2) AS section`,
    [eventId, section],
  );
  if (!found[0]?.event) throw new AppError('NOT_FOUND', 'no such event');
  if (!found[0]?.section) throw new AppError('VALIDATION_FAILED', `no section named ${section}`);
  return [];
}
