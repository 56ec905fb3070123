import { z } from 'zod';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { type LayoutSeat, type LayoutSection, statusCode } from '../../domain/event-seat-state.js';

export interface EventSeats {
  eventId: string;
  sections: LayoutSection[];
  seats: (LayoutSeat & { section: string; priceCents: number })[];
  statuses: Uint8Array;
  versions: Uint32Array;
  /** When the first of presale and sale opens: until then the layout may still be edited. */
  opensAtMs: number;
}

const Row = z.object({
  id: z.string(),
  section_id: z.string(),
  section: z.string(),
  position: z.number(),
  price_cents: z.number(),
  row: z.number(),
  number: z.number(),
  status: z.enum(['available', 'held', 'sold']),
  version: z.number(),
});
/** Every seat of the event, on each gateway at a sale's opening (when everyone arrives): the light check. */
const LightRow = lightRow(Row);

/**
 * Every seat of an event in index order, with its live status and version. The index is the
 * seat's place in (section position, row, number): seats and sections are created with the
 * event and never renumbered once its sale (or presale) opened, so from then on the order (and
 * every index) is stable without a stored column. Before that an organizer may replace the
 * layout (replace-event-sections.ts), and every gateway then drops its copy and loads it again.
 * NOT_FOUND for an unknown event.
 */
export async function loadEventSeats(db: Db, eventId: string): Promise<EventSeats> {
  const [rows, opensAt] = await Promise.all([
    db.any(
      sql.type(LightRow)`SELECT s.id, sec.id AS section_id, sec.name AS section, sec.position, sec.price_cents, s.row, s.number,
            s.status, s.version
       FROM seats s JOIN sections sec ON sec.id = s.section_id
      WHERE s.event_id = ${eventId}
      ORDER BY sec.position, s.row, s.number, s.id`,
    ),
    db.maybeOneFirst(
      sql.type(
        z.object({ opens_at: z.date() }),
      )`SELECT least(sale_starts_at, coalesce(presale_starts_at, sale_starts_at)) AS opens_at
         FROM events WHERE id = ${eventId}`,
    ),
  ]);
  if (rows.length === 0) throw new AppError('NOT_FOUND', 'no such event');
  const sections: LayoutSection[] = [];
  const sectionIndex = new Map<string, number>();
  const statuses = new Uint8Array(rows.length);
  const versions = new Uint32Array(rows.length);
  const seats = rows.map((r, i) => {
    let si = sectionIndex.get(r.section_id);
    if (si === undefined) {
      si = sections.length;
      sectionIndex.set(r.section_id, si);
      sections.push({ id: r.section_id, name: r.section, priceCents: r.price_cents, position: r.position });
    }
    statuses[i] = statusCode(r.status);
    versions[i] = r.version;
    return { id: r.id, sectionIndex: si, section: r.section, priceCents: r.price_cents, row: r.row, number: r.number };
  });
  return { eventId, sections, seats, statuses, versions, opensAtMs: opensAt?.getTime() ?? 0 };
}
