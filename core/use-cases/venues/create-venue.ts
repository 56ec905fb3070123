import type { CreateVenueBody, Venue } from '../../contract/venues.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import type { Actor } from '../../domain/can-manage.js';
import { capacityOf, toVenue, VENUE_COLUMNS, VenueRow } from './venue-row.js';

export async function createVenue(pool: Pool, actor: Actor, body: CreateVenueBody): Promise<Venue> {
  return withTransaction(pool, async (tx) => {
    const row = await tx.one(
      sql.type(VenueRow)`INSERT INTO venues AS v (owner_id, name, address, sections, capacity)
       VALUES (${actor.userId}, ${body.name}, ${body.address ?? ''}, ${sql.jsonb(body.sections)}, ${capacityOf(body.sections)})
       RETURNING ${VENUE_COLUMNS}`,
    );
    await writeAudit(tx, { actorId: actor.userId, action: 'venue.created', entityType: 'venue', entityId: row.id });
    return toVenue(row);
  });
}
