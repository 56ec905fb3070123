import type { CreateVenueBody, Venue } from '../../contract/venues.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import type { Actor } from '../../domain/can-manage.js';
import { capacityOf, toVenue, VENUE_COLUMNS, type VenueRow } from './venue-row.js';

export async function createVenue(pool: Pool, actor: Actor, body: CreateVenueBody): Promise<Venue> {
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<VenueRow>(
      `INSERT INTO venues AS v (owner_id, name, address, sections, capacity) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${VENUE_COLUMNS}`,
      [actor.userId, body.name, body.address ?? '', JSON.stringify(body.sections), capacityOf(body.sections)],
    );
    const row = rows[0] as VenueRow;
    await writeAudit(tx, { actorId: actor.userId, action: 'venue.created', entityType: 'venue', entityId: row.id });
    return toVenue(row);
  });
}
