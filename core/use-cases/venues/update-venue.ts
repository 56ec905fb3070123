import type { UpdateVenueBody, Venue } from '../../contract/venues.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import type { Actor } from '../../domain/can-manage.js';
import { getManagedVenueRow } from './get-venue.js';
import { capacityOf, toVenue, VENUE_COLUMNS, VenueRow } from './venue-row.js';

/** Changes a venue; events already created from it keep the layout they copied. */
export async function updateVenue(pool: Pool, actor: Actor, venueId: string, body: UpdateVenueBody): Promise<Venue> {
  return withTransaction(pool, async (tx) => {
    const current = await getManagedVenueRow(tx, actor, venueId, true);
    const sections = body.sections ?? current.sections;
    const row = await tx.one(
      sql.type(VenueRow)`UPDATE venues v SET name = ${body.name ?? current.name}, address = ${body.address ?? current.address},
              sections = ${sql.jsonb(sections)}, capacity = ${capacityOf(sections)}, updated_at = now()
        WHERE v.id = ${venueId} RETURNING ${VENUE_COLUMNS}`,
    );
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'venue.updated',
      entityType: 'venue',
      entityId: venueId,
      data: { fields: Object.keys(body) },
    });
    return toVenue(row);
  });
}
