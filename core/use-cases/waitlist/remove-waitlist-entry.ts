import { z } from 'zod';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { endHold } from '../seats/end-hold.js';

const EntryRow = z.object({
  owner_id: z.string().nullable(),
  id: z.string().nullable(),
  user_id: z.string().nullable(),
  offer_hold_id: z.string().nullable(),
});

/**
 * DELETE /api/admin/events/:id/waitlist/:entryId: the organizer takes an open entry off the
 * waitlist (status `cancelled`); an outstanding offer's hold is released, its seats go back on
 * sale. Same lock order as `waitlist:leave` (event row KEY SHARE, then the entry), so it cannot
 * deadlock with the user leaving, an offer or an event cancellation. NOT_FOUND for an entry that
 * is not open (already left, fulfilled, removed): removing twice changes nothing. Every waiting
 * user hears their place after it.
 */
export async function removeWaitlistEntry(
  pool: Pool,
  actor: Actor,
  eventId: string,
  entryId: string,
): Promise<{ effects: SeatChangeEffects }> {
  return withTransaction(pool, async (tx) => {
    const row = await tx.maybeOne(
      sql.type(EntryRow)`WITH e AS MATERIALIZED (SELECT id, owner_id FROM events WHERE id = ${eventId} FOR KEY SHARE)
       SELECT e.owner_id, w.id, w.user_id, w.offer_hold_id
         FROM e LEFT JOIN LATERAL (
           SELECT id, user_id, offer_hold_id FROM waitlist_entries
            WHERE id = ${entryId} AND event_id = e.id AND status IN ('waiting', 'offered') FOR UPDATE
         ) w ON true`,
    );
    if (!row) throw new AppError('NOT_FOUND', 'no such event');
    assertCanManage(actor, row.owner_id, 'event');
    if (!row.id || !row.user_id) throw new AppError('NOT_FOUND', 'no such open waitlist entry');
    let changes: SeatChange[] = [];
    if (row.offer_hold_id) {
      const ended = await endHold(tx, { holdId: row.offer_hold_id, to: 'released', userId: row.user_id, actorId: actor.userId });
      changes = ended?.changes ?? [];
    }
    await tx.query(
      sql.typeAlias('void')`UPDATE waitlist_entries SET status = 'cancelled', offer_hold_id = NULL, updated_at = now()
        WHERE id = ${row.id} AND status IN ('waiting', 'offered')`,
    );
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'waitlist.removed',
      eventId,
      entityType: 'waitlist',
      entityId: row.id,
      data: { userId: row.user_id },
    });
    return { effects: { eventId, changes, lineMoved: { afterSeq: null } } };
  });
}
