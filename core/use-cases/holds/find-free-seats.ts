import { z } from 'zod';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { FreeSeat } from '../../domain/choose-best-seats.js';

const FreeSeatRow = z.object({ id: z.string(), sectionRank: z.number(), row: z.number(), number: z.number() });
const LightFreeSeatRow = lightRow(FreeSeatRow);

/**
 * Free seats best-available chooses from, best places first, read per section through the
 * partial index `seats_free_by_place` (never a sort of every free seat of the event). Read without locks: the choice is
 * re-checked under row locks in the transaction. The window bounds the read for big venues;
 * the best rows are always in it.
 */
export async function findFreeSeats(db: Db, eventId: string, section: string | null, window: number): Promise<FreeSeat[]> {
  const rows = await db.any(
    sql.type(LightFreeSeatRow)`SELECT f.id, sec.position AS "sectionRank", f.row, f.number
             FROM sections sec CROSS JOIN LATERAL (
                    SELECT s.id, s.row, s.number FROM seats s
                     WHERE s.section_id = sec.id AND s.status = 'available'
                     ORDER BY s.row, s.number LIMIT ${window}::int) f
            WHERE sec.event_id = ${eventId} AND (${section}::text IS NULL OR sec.name = ${section}::text)
            ORDER BY sec.position, f.row, f.number LIMIT ${window}::int`,
  );
  if (rows.length > 0) return [...rows];
  // Nothing free: say why, precisely.
  const found = await db.one(
    sql.type(
      z.object({ event: z.boolean(), section: z.boolean() }),
    )`SELECT EXISTS (SELECT 1 FROM events WHERE id = ${eventId}) AS event,
            ${section}::text IS NULL OR EXISTS (SELECT 1 FROM sections WHERE event_id = ${eventId} AND name = ${section}::text) AS section`,
  );
  if (!found.event) throw new AppError('NOT_FOUND', 'no such event');
  if (!found.section) throw new AppError('VALIDATION_FAILED', `no section named ${section}`);
  return [];
}
