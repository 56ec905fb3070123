import { z } from 'zod';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { FreeSeat } from '../../domain/choose-best-seats.js';
import { freeSeatsInSeatingOrder } from './free-seats-in-seating-order.js';

const FreeSeatRow = z.object({ id: z.string(), section_rank: z.number(), row: z.number(), number: z.number() });
const LightFreeSeatRow = lightRow(FreeSeatRow);

/**
 * Free seats in seating order (freeSeatsInSeatingOrder), read without locks: whether a hold the
 * batch found short of seats is sold out. The window bounds the read for big venues.
 */
export async function findFreeSeats(db: Db, eventId: string, section: string | null, window: number): Promise<FreeSeat[]> {
  const rows = await db.any(
    sql.type(LightFreeSeatRow)`${freeSeatsInSeatingOrder({
      eventId,
      section: sql.fragment`${section}::text`,
      size: sql.fragment`${window}::int`,
      locked: false,
    })}`,
  );
  if (rows.length > 0) return rows.map((r) => ({ id: r.id, sectionRank: r.section_rank, row: r.row, number: r.number }));
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
