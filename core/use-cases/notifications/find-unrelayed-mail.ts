import type { Queryable } from '../../db/pool.js';

/** Outbox rows no worker has put on the queue yet, oldest first. */
export async function findUnrelayedMail(db: Queryable, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM notification_outbox WHERE relayed_at IS NULL ORDER BY created_at LIMIT $1',
    [limit],
  );
  return rows.map((r) => r.id);
}

/** After their jobs were added: a crash before this re-adds them, and BullMQ drops the duplicate job ids. */
export async function markMailRelayed(db: Queryable, ids: readonly string[]): Promise<void> {
  await db.query('UPDATE notification_outbox SET relayed_at = now() WHERE id = ANY($1::uuid[]) AND relayed_at IS NULL', [ids]);
}
