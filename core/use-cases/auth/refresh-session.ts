import { z } from 'zod';
import { announceSessionsEnded } from '../../auth/ended-sessions.js';
import { hashRefreshToken } from '../../auth/refresh-tokens.js';
import { type AuthReply, PublicUser } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import type { EndSessionsContext } from './end-user-sessions.js';
import { issueSession, type TokenSettings } from './issue-session.js';

const REUSED = 'refresh_token_reused';

const TokenRow = PublicUser.extend({
  token_id: z.string(),
  family_id: z.string(),
  revoked: z.boolean(),
  expired: z.boolean(),
});

/**
 * Rotation: the presented token is revoked and replaced. Presenting a token that was already
 * rotated means it leaked: the whole sign-in ends as a logout does (endSession), the thief's and
 * the owner's alike: its refresh tokens revoked, and the end recorded and announced, so the access
 * tokens issued in it are refused and its sockets closed on every gateway (a thief holding a fresh
 * access token would otherwise keep it for its whole lifetime). The web app refreshes under a
 * cross-tab lock, so its own tabs never present a rotated token.
 */
export async function refreshSession(
  ctx: EndSessionsContext & { pool: Pool },
  refreshToken: string,
  settings: TokenSettings,
): Promise<AuthReply> {
  const atMs = ctx.now().getTime();
  const outcome = await withTransaction<{ session?: AuthReply; error: string; ended?: { userId: string; sessionId: string } }>(
    ctx.pool,
    async (tx) => {
      const row = await tx.maybeOne(
        sql.type(
          TokenRow,
        )`SELECT t.id AS token_id, t.family_id, t.revoked_at IS NOT NULL AS revoked, t.expires_at <= now() AS expired,
              u.id, u.email, u.name, u.role, u.email_verified AS "emailVerified"
         FROM refresh_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = ${hashRefreshToken(refreshToken)} FOR UPDATE OF t`,
      );
      if (!row) return { error: 'invalid refresh token' };
      if (row.revoked) {
        await tx.query(
          sql.typeAlias('void')`WITH revoked AS (
           UPDATE refresh_tokens SET revoked_at = now() WHERE family_id = ${row.family_id} AND revoked_at IS NULL RETURNING 1)
         INSERT INTO session_ends (user_id, session_id, ended_at, reason)
         VALUES (${row.id}, ${row.family_id}, ${new Date(atMs).toISOString()}::timestamptz, ${REUSED})
         ON CONFLICT (session_id) WHERE session_id IS NOT NULL DO NOTHING`,
        );
        return { error: 'refresh token was already used', ended: { userId: row.id, sessionId: row.family_id } };
      }
      if (row.expired) return { error: 'refresh token expired' };
      const user: PublicUser = { id: row.id, email: row.email, name: row.name, role: row.role, emailVerified: row.emailVerified };
      const { refreshTokenId, ...session } = await issueSession(tx, user, settings, row.family_id);
      await tx.query(
        sql.typeAlias(
          'void',
        )`UPDATE refresh_tokens SET revoked_at = now(), replaced_by = ${refreshTokenId} WHERE id = ${row.token_id}`,
      );
      return { session, error: '' };
    },
  );
  // After commit, so a detected reuse still ends the sign-in. The end is durable before it is
  // announced: a failed announcement (Redis away) reaches the gateways when they seed from Postgres again.
  if (outcome.ended) {
    await announceSessionsEnded(ctx.redis, ctx.keys, { ...outcome.ended, atMs, reason: REUSED }).catch(() => {});
  }
  if (!outcome.session) throw new AppError('UNAUTHENTICATED', outcome.error);
  return outcome.session;
}
