import type { Queryable } from '../../db/pool.js';

/** Revokes every live refresh token of one user; answers how many there were. */
export async function revokeRefreshTokens(db: Queryable, userId: string): Promise<number> {
  const { rowCount } = await db.query('UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [
    userId,
  ]);
  return rowCount ?? 0;
}
