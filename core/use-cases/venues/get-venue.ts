import type { Venue } from '../../contract/venues.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';
import { toVenue, VENUE_COLUMNS, VenueRow } from './venue-row.js';

/**
 * The venue if the actor may manage it: NOT_FOUND when there is none, FORBIDDEN when it is
 * another organizer's. `lock` takes a share lock for a transaction that copies its layout.
 */
export async function getManagedVenueRow(db: Db, actor: Actor, venueId: string, lock = false): Promise<VenueRow> {
  const row = await db.maybeOne(
    sql.type(
      VenueRow,
    )`SELECT ${VENUE_COLUMNS} FROM venues v WHERE v.id = ${venueId}${lock ? sql.fragment` FOR SHARE` : sql.fragment``}`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'no such venue', { venueId });
  assertCanManage(actor, row.owner_id, 'venue');
  return row;
}

export async function getVenue(db: Db, actor: Actor, venueId: string): Promise<Venue> {
  return toVenue(await getManagedVenueRow(db, actor, venueId));
}
