import { createHash } from 'node:crypto';
import type { SeatLayout } from '../../contract/http.js';
import type { EventSeats } from './load-event-seats.js';

/** Bumped only if the layout document's shape changes; a layout never changes once the event's
 * sale (or presale) opened (before that an organizer may edit it: see opensAtMs). */
const LAYOUT_VERSION = 1;

export interface SeatLayoutDocument {
  json: string;
  /** Strong validator: a hash of the exact bytes. */
  etag: string;
  /** Until then the layout may still change: caches must revalidate it (ETag) instead of keeping it. */
  opensAtMs: number;
}

/** The static layout of `GET /api/events/:id/seats`, serialized once with its ETag. */
export function buildSeatLayout(e: EventSeats): SeatLayoutDocument {
  const layout: SeatLayout = {
    eventId: e.eventId,
    layoutVersion: LAYOUT_VERSION,
    sections: e.sections.map((s) => ({ id: s.id, name: s.name, priceCents: s.priceCents, position: s.position })),
    seats: e.seats.map((s, index) => ({
      id: s.id,
      index,
      section: s.section,
      row: s.row,
      number: s.number,
      priceCents: s.priceCents,
    })),
  };
  const json = JSON.stringify(layout);
  return { json, etag: `"${createHash('sha256').update(json).digest('base64url').slice(0, 32)}"`, opensAtMs: e.opensAtMs };
}
