import type { Venue } from '../../contract/venues.js';
import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';
import { toVenue, VENUE_COLUMNS, type VenueRow } from './venue-row.js';

/**
 * The venue if the actor may manage it: NOT_FOUND when there is none, FORBIDDEN when it is
 * another organizer's. `lock` takes a share lock for a transaction that copies its layout.
 */
export async function getManagedVenueRow(db: Queryable, actor: Actor, venueId: string, lock = false): Promise<VenueRow> {
  const { rows } = await db.query<VenueRow>(`SELECT ${VENUE_COLUMNS} FROM venues v WHERE v.id = $1${lock ? ' FOR SHARE' : ''}`, [
    venueId,
  ]);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'no such venue', { venueId });
  assertCanManage(actor, row.owner_id, 'venue');
  return row;
}

export async function getVenue(db: Queryable, actor: Actor, venueId: string): Promise<Venue> {
  return toVenue(await getManagedVenueRow(db, actor, venueId));
}
