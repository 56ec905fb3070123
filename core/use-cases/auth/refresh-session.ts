import { z } from 'zod';
import { hashRefreshToken } from '../../auth/refresh-tokens.js';
import { type AuthReply, PublicUser } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import { issueSession, type TokenSettings } from './issue-session.js';

const TokenRow = PublicUser.extend({
  token_id: z.string(),
  family_id: z.string(),
  revoked: z.boolean(),
  expired: z.boolean(),
});

/**
 * Rotation: the presented token is revoked and replaced. Presenting a token that was already
 * rotated means it leaked: the whole family is revoked (the thief's and the owner's tokens).
 */
export async function refreshSession(pool: Pool, refreshToken: string, settings: TokenSettings): Promise<AuthReply> {
  const outcome = await withTransaction<{ session?: AuthReply; error: string }>(pool, async (tx) => {
    const row = await tx.maybeOne(
      sql.type(
        TokenRow,
      )`SELECT t.id AS token_id, t.family_id, t.revoked_at IS NOT NULL AS revoked, t.expires_at <= now() AS expired,
              u.id, u.email, u.name, u.role
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ${hashRefreshToken(refreshToken)} FOR UPDATE OF t`,
    );
    if (!row) return { error: 'invalid refresh token' };
    if (row.revoked) {
      await tx.query(
        sql.typeAlias(
          'void',
        )`UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${row.family_id} AND revoked_at IS NULL`,
      );
      return { error: 'refresh token was already used' };
    }
    if (row.expired) return { error: 'refresh token expired' };
    const user: PublicUser = { id: row.id, email: row.email, name: row.name, role: row.role };
    const { refreshTokenId, ...session } = await issueSession(tx, user, settings, row.family_id);
    await tx.query(
      sql.typeAlias(
        'void',
      )`UPDATE refresh_tokens SET revoked_at = now(), replaced_by = ${refreshTokenId} WHERE id = ${row.token_id}`,
    );
    return { session, error: '' };
  });
  // Thrown after commit so a detected reuse still revokes the family.
  if (!outcome.session) throw new AppError('UNAUTHENTICATED', outcome.error);
  return outcome.session;
}
