import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Revokes every live refresh token of one user; answers how many there were. */
export async function revokeRefreshTokens(db: Db, userId: string): Promise<number> {
  const { rowCount } = await db.query(
    sql.typeAlias('void')`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL`,
  );
  return rowCount ?? 0;
}
