import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { type Actor, assertCanManage } from '../../domain/can-manage.js';

/** Read-only ownership check (no lock): NOT_FOUND for no event, FORBIDDEN for someone else's. */
export async function assertManagesEvent(db: Db, actor: Actor, eventId: string): Promise<void> {
  const row = await db.maybeOne(
    sql.type(z.object({ owner_id: z.string().nullable() }))`SELECT owner_id FROM events WHERE id = ${eventId}`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  assertCanManage(actor, row.owner_id, 'event');
}
