import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
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
const ManagedRow = z.object({ owner_id: z.string().nullable(), cancelled: z.boolean() });

export async function lockManagedEvent(tx: Db, actor: Actor, eventId: string): Promise<ManagedEvent> {
  const row = await tx.maybeOne(
    sql.type(ManagedRow)`SELECT owner_id, cancelled_at IS NOT NULL AS cancelled FROM events WHERE id = ${eventId} FOR UPDATE`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  assertCanManage(actor, row.owner_id, 'event');
  return { ownerId: row.owner_id, cancelled: row.cancelled };
}
