import { hashRefreshToken } from '../../auth/refresh-tokens.js';
import type { AuthReply, PublicUser } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { issueSession, type TokenSettings } from './issue-session.js';

interface TokenRow extends PublicUser {
  token_id: string;
  family_id: string;
  revoked: boolean;
  expired: boolean;
}

/**
 * Rotation: the presented token is revoked and replaced. Presenting a token that was already
 * rotated means it leaked: the whole family is revoked (the thief's and the owner's tokens).
 */
export async function refreshSession(pool: Pool, refreshToken: string, settings: TokenSettings): Promise<AuthReply> {
  const outcome = await withTransaction<{ session?: AuthReply; error: string }>(pool, async (tx) => {
    const { rows } = await tx.query<TokenRow>(
      `SELECT t.id AS token_id, t.family_id, t.revoked_at IS NOT NULL AS revoked, t.expires_at <= now() AS expired,
              u.id, u.email, u.name, u.role
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 FOR UPDATE OF t`,
      [hashRefreshToken(refreshToken)],
    );
    const row = rows[0];
    if (!row) return { error: 'invalid refresh token' };
    if (row.revoked) {
      await tx.query('UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = $1 AND revoked_at IS NULL', [row.family_id]);
      return { error: 'refresh token was already used' };
    }
    if (row.expired) return { error: 'refresh token expired' };
    const user: PublicUser = { id: row.id, email: row.email, name: row.name, role: row.role };
    const { refreshTokenId, ...session } = await issueSession(tx, user, settings, row.family_id);
    await tx.query('UPDATE refresh_tokens SET revoked_at = now(), replaced_by = $2 WHERE id = $1', [
      row.token_id,
      refreshTokenId,
    ]);
    return { session, error: '' };
  });
  // Thrown after commit so a detected reuse still revokes the family.
  if (!outcome.session) throw new AppError('UNAUTHENTICATED', outcome.error);
  return outcome.session;
}
