import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';

export interface ManagedEvent {
  ownerId: string | null;
  cancelled: boolean;
}

/**
 * Locks the event row for a change by `actor`: NOT_FOUND when there is none, FORBIDDEN when it
 * is another organizer's. Locking first keeps holds and confirms from slipping in beside it.
 */
export async function lockManagedEvent(tx: Queryable, actor: Actor, eventId: string): Promise<ManagedEvent> {
  const { rows } = await tx.query<{ owner_id: string | null; cancelled: boolean }>(
    'SELECT owner_id, cancelled_at IS NOT NULL AS cancelled FROM events WHERE id = $1 FOR UPDATE',
    [eventId],
  );
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  assertCanManage(actor, row.owner_id, 'event');
  return { ownerId: row.owner_id, cancelled: row.cancelled };
}
