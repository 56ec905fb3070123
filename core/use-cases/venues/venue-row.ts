import type { Venue } from '../../contract/venues.js';

/** Columns every venue query selects. */
export const VENUE_COLUMNS = `v.id, v.owner_id, v.name, v.address, v.sections, v.capacity, v.created_at, v.updated_at`;

export interface VenueRow {
  id: string;
  owner_id: string;
  name: string;
  address: string;
  sections: Venue['sections'];
  capacity: number;
  created_at: Date;
  updated_at: Date;
}

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
