import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Deletes the recorded ends older than `beforeMs`: past the access-token lifetime they stop no token. */
export async function deleteSessionEndsBefore(db: Db, beforeMs: number): Promise<void> {
  await db.query(
    sql.typeAlias('void')`DELETE FROM session_ends WHERE ended_at < ${new Date(beforeMs).toISOString()}::timestamptz`,
  );
}
