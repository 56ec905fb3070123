import { z } from 'zod';
import { Venue } from '../../contract/venues.js';
import { sql } from '../../db/sql.js';

/** Columns every venue query selects. */
export const VENUE_COLUMNS = sql.fragment`v.id, v.owner_id, v.name, v.address, v.sections, v.capacity, v.created_at, v.updated_at`;

export const VenueRow = z.object({
  id: z.string(),
  owner_id: z.string(),
  name: z.string(),
  address: z.string(),
  sections: Venue.shape.sections,
  capacity: z.number(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type VenueRow = z.infer<typeof VenueRow>;

export function toVenue(r: VenueRow): Venue {
  return {
    id: r.id,
    name: r.name,
    address: r.address,
    sections: r.sections,
    capacity: r.capacity,
    ownerId: r.owner_id,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function capacityOf(sections: readonly { rows: number; seatsPerRow: number }[]): number {
  return sections.reduce((n, s) => n + s.rows * s.seatsPerRow, 0);
}
