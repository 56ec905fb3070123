import type { Pool } from '../../db/pool.js';
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
      const { rows } = await tx.query<{ status: string; user_id: string }>('SELECT status, user_id FROM holds WHERE id = $1', [
        holdId,
      ]);
      const hold = rows[0];
      if (!hold || hold.user_id !== userId) throw new AppError('HOLD_NOT_FOUND', 'no such hold');
      if (hold.status === 'confirmed') throw new AppError('CONFLICT', 'this hold is already confirmed; cancel the booking');
      if (hold.status === 'expired') throw new AppError('HOLD_EXPIRED', 'this hold has expired');
      throw new AppError('HOLD_NOT_FOUND', `this hold was already ${hold.status}`);
    }
    const { rows } = await tx.query<{ n: number }>(
      `SELECT count(*) AS n FROM holds WHERE user_id = $1 AND event_id = $2 AND status = 'active'`,
      [userId, ended.eventId],
    );
    return { ...ended, lastHold: (rows[0]?.n ?? 0) === 0 };
  });
}
