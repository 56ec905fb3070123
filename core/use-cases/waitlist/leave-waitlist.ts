import { z } from 'zod';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { noSeatChange, type SeatChangeEffects } from '../../seat-change-effects.js';
import { endHold } from '../seats/end-hold.js';

export interface LeftWaitlist {
  /**
   * Seats of an outstanding offer that went back on sale; the places of the entries behind a
   * waiting entry that left (only they moved up: an offered entry is out of the line). Nothing
   * when the user had no open entry: leaving twice is not an error.
   */
  effects: SeatChangeEffects;
}

/**
 * `waitlist:leave`: a waiting entry is closed; an outstanding offer's hold is released. The event
 * row first (KEY SHARE, the InitPlan of the entry's scan), then the entry: the order of every
 * seat transaction. Taking the entry first could deadlock with an event cancellation, which
 * holds the event row and then updates the entries.
 */
export async function leaveWaitlist(pool: Pool, eventId: string, userId: string): Promise<LeftWaitlist> {
  return withTransaction(pool, async (tx) => {
    const entry = await tx.maybeOne(
      sql.type(
        z.object({ id: z.string(), status: z.string(), offer_hold_id: z.string().nullable(), seq: z.string() }),
      )`WITH e AS MATERIALIZED (SELECT id FROM events WHERE id = ${eventId} FOR KEY SHARE)
       SELECT id, status, offer_hold_id, seq::text AS seq
         FROM waitlist_entries
        WHERE event_id = (SELECT id FROM e) AND user_id = ${userId} AND status IN ('waiting', 'offered') FOR UPDATE`,
    );
    if (!entry) return { effects: noSeatChange(eventId) };
    let changes: SeatChange[] = [];
    if (entry.offer_hold_id) {
      // Releasing the offer lapses the entry in the same statement.
      const ended = await endHold(tx, { holdId: entry.offer_hold_id, to: 'released', userId, actorId: userId });
      changes = ended?.changes ?? [];
    }
    await tx.query(
      sql.typeAlias('void')`UPDATE waitlist_entries SET status = 'left', offer_hold_id = NULL, updated_at = now()
        WHERE id = ${entry.id} AND status IN ('waiting', 'offered')`,
    );
    await writeAudit(tx, { actorId: userId, action: 'waitlist.left', eventId, entityType: 'waitlist', entityId: entry.id });
    const lineMoved = entry.status === 'waiting' ? { afterSeq: entry.seq } : null;
    return { effects: { eventId, changes, lineMoved } };
  });
}
