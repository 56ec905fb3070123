import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';

/** Read-only ownership check (no lock): NOT_FOUND for no event, FORBIDDEN for someone else's. */
export async function assertManagesEvent(db: Queryable, actor: Actor, eventId: string): Promise<void> {
  const { rows } = await db.query<{ owner_id: string | null }>('SELECT owner_id FROM events WHERE id = $1', [eventId]);
  const row = rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  assertCanManage(actor, row.owner_id, 'event');
}
