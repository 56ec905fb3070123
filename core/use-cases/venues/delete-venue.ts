import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import type { Actor } from '../../domain/can-manage.js';
import { getManagedVenueRow } from './get-venue.js';

/**
 * Deletes a venue. Events created from it keep their copied seats and bookings; their
 * `venueId` becomes null (the foreign key says ON DELETE SET NULL) and their venue name stays.
 */
export async function deleteVenue(pool: Pool, actor: Actor, venueId: string): Promise<void> {
  await withTransaction(pool, async (tx) => {
    await getManagedVenueRow(tx, actor, venueId, true);
    await tx.query(sql.typeAlias('void')`DELETE FROM venues WHERE id = ${venueId}`);
    await writeAudit(tx, { actorId: actor.userId, action: 'venue.deleted', entityType: 'venue', entityId: venueId });
  });
}
