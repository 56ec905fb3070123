import type { UpdateVenueBody, Venue } from '../../contract/venues.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import type { Actor } from '../../domain/can-manage.js';
import { getManagedVenueRow } from './get-venue.js';
import { capacityOf, toVenue, VENUE_COLUMNS, type VenueRow } from './venue-row.js';

/** Changes a venue; events already created from it keep the layout they copied. */
export async function updateVenue(pool: Pool, actor: Actor, venueId: string, body: UpdateVenueBody): Promise<Venue> {
  return withTransaction(pool, async (tx) => {
    const current = await getManagedVenueRow(tx, actor, venueId, true);
    const sections = body.sections ?? current.sections;
    const { rows } = await tx.query<VenueRow>(
      `UPDATE venues v SET name = $2, address = $3, sections = $4, capacity = $5, updated_at = now()
        WHERE v.id = $1 RETURNING ${VENUE_COLUMNS}`,
      [venueId, body.name ?? current.name, body.address ?? current.address, JSON.stringify(sections), capacityOf(sections)],
    );
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'venue.updated',
      entityType: 'venue',
      entityId: venueId,
      data: { fields: Object.keys(body) },
    });
    return toVenue(rows[0] as VenueRow);
  });
}
