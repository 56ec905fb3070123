import { z } from 'zod';
import type { SectionsInput } from '../../contract/http.js';
import type { Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { isSameShape, layoutLockReason } from '../../domain/layout-lock-reason.js';
import { insertEventLayout } from './insert-event-layout.js';

const Facts = z.object({
  cancelled: z.boolean(),
  sale_starts_at: z.date(),
  presale_starts_at: z.date().nullable(),
  has_activity: z.boolean(),
  sections: z.array(z.object({ rows: z.number(), seatsPerRow: z.number() })),
});

/**
 * PATCH /api/admin/events/:id {sections}: the whole layout, before anyone could buy (see
 * layoutLockReason). Call with the event row locked FOR UPDATE (lockManagedEvent): every hold and
 * confirm takes it FOR KEY SHARE first, so none can start meanwhile. The same shape (sections,
 * rows, seats per row) keeps every seat and only renames and reprices the sections; another shape
 * replaces the sections and seats (new ids) and the capacity. Returns whether seats were replaced.
 */
export async function replaceEventSections(tx: Tx, eventId: string, sections: SectionsInput, now: Date): Promise<boolean> {
  const f = await tx.one(
    sql.type(Facts)`SELECT e.cancelled_at IS NOT NULL AS cancelled, e.sale_starts_at, e.presale_starts_at,
        (EXISTS (SELECT 1 FROM holds WHERE event_id = e.id) OR EXISTS (SELECT 1 FROM bookings WHERE event_id = e.id)
          OR EXISTS (SELECT 1 FROM waitlist_entries WHERE event_id = e.id)
          OR EXISTS (SELECT 1 FROM access_code_uses WHERE event_id = e.id)) AS has_activity,
        coalesce((SELECT json_agg(json_build_object('rows', s.rows, 'seatsPerRow', s.seats_per_row) ORDER BY s.position)
                    FROM sections s WHERE s.event_id = e.id), '[]'::json) AS sections
       FROM events e WHERE e.id = ${eventId}`,
  );
  const reason = layoutLockReason(
    { cancelled: f.cancelled, saleStartsAt: f.sale_starts_at, presaleStartsAt: f.presale_starts_at, hasActivity: f.has_activity },
    now,
  );
  if (reason) throw new AppError('CONFLICT', reason, { field: 'sections' });
  if (isSameShape(f.sections, sections)) {
    const prices = sections.map((s, position) => ({ position, name: s.name, price_cents: s.priceCents }));
    // Names must stay unique per event at every step: park them on a temporary name first.
    await tx.query(sql.typeAlias('void')`UPDATE sections SET name = '~' || id::text WHERE event_id = ${eventId}`);
    await tx.query(
      sql.typeAlias('void')`UPDATE sections s SET name = p.name, price_cents = p.price_cents
         FROM jsonb_to_recordset(${sql.jsonb(prices)}) AS p(position int, name text, price_cents int)
        WHERE s.event_id = ${eventId} AND s.position = p.position`,
    );
    return false;
  }
  await tx.query(sql.typeAlias('void')`DELETE FROM seats WHERE event_id = ${eventId}`);
  await tx.query(sql.typeAlias('void')`DELETE FROM sections WHERE event_id = ${eventId}`);
  await insertEventLayout(tx, eventId, sections);
  const capacity = sections.reduce((n, s) => n + s.rows * s.seatsPerRow, 0);
  await tx.query(sql.typeAlias('void')`UPDATE events SET capacity = ${capacity} WHERE id = ${eventId}`);
  return true;
}
