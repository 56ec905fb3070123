import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Outbox rows no worker has put on the queue yet, oldest first. */
export async function findUnrelayedMail(db: Db, limit: number): Promise<string[]> {
  const ids = await db.anyFirst(
    sql.type(
      z.object({ id: z.string() }),
    )`SELECT id FROM notification_outbox WHERE relayed_at IS NULL ORDER BY created_at LIMIT ${limit}`,
  );
  return [...ids];
}

/** After their jobs were added: a crash before this re-adds them, and BullMQ drops the duplicate job ids. */
export async function markMailRelayed(db: Db, ids: readonly string[]): Promise<void> {
  await db.query(
    sql.typeAlias(
      'void',
    )`UPDATE notification_outbox SET relayed_at = now() WHERE id = ANY(${sql.array(ids, 'uuid')}) AND relayed_at IS NULL`,
  );
}
