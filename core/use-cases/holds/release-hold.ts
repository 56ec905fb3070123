import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { type EndedHold, endHold } from './end-hold.js';

export interface ReleasedHold extends EndedHold {
  /** The user has no other live hold for this event. */
  lastHold: boolean;
}

/** `hold:release`: the owner gives a live hold back; its seats are on sale again at once. */
export async function releaseHold(pool: Pool, userId: string, holdId: string): Promise<ReleasedHold> {
  return withTransaction(pool, async (tx) => {
    const ended = await endHold(tx, { holdId, to: 'released', userId, actorId: userId });
    if (!ended) {
      const hold = await tx.maybeOne(
        sql.type(z.object({ status: z.string(), user_id: z.string() }))`SELECT status, user_id FROM holds WHERE id = ${holdId}`,
      );
      if (!hold || hold.user_id !== userId) throw new AppError('HOLD_NOT_FOUND', 'no such hold');
      if (hold.status === 'confirmed') throw new AppError('CONFLICT', 'this hold is already confirmed; cancel the booking');
      if (hold.status === 'expired') throw new AppError('HOLD_EXPIRED', 'this hold has expired');
      throw new AppError('HOLD_NOT_FOUND', `this hold was already ${hold.status}`);
    }
    const live = await tx.oneFirst(
      sql.type(z.object({ n: z.number() }))`SELECT count(*) AS n FROM holds
        WHERE user_id = ${userId} AND event_id = ${ended.eventId} AND status = 'active'`,
    );
    return { ...ended, lastHold: live === 0 };
  });
}
