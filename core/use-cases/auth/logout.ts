import { hashRefreshToken } from '../../auth/refresh-tokens.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Revokes one refresh token. Unknown tokens are accepted silently (logout is idempotent). */
export async function logout(pool: Pool, refreshToken: string): Promise<void> {
  await pool.query(
    sql.typeAlias(
      'void',
    )`UPDATE refresh_tokens SET revoked_at = now() WHERE token_hash = ${hashRefreshToken(refreshToken)} AND revoked_at IS NULL`,
  );
}
