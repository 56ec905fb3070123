import { z } from 'zod';
import { announceSessionsEnded } from '../../auth/ended-sessions.js';
import { hashRefreshToken } from '../../auth/refresh-tokens.js';
import { sql } from '../../db/sql.js';
import type { EndSessionsContext } from './end-user-sessions.js';

/**
 * Logout: ends the sign-in this refresh token belongs to, everywhere. Its whole family of
 * refresh tokens is revoked and the end recorded in Postgres in one statement (the durable record
 * a gateway seeds from when Redis lost its copy), then every gateway learns the session ended
 * (announceSessionsEnded): the access tokens issued in it are refused and its sockets closed.
 * Unknown tokens are accepted silently (logout is idempotent and says nothing about which tokens
 * exist); a repeated logout announces the end again (a failed announcement is retried by
 * logging out again) but keeps the one row it recorded.
 */
export async function endSession(ctx: EndSessionsContext, refreshToken: string): Promise<void> {
  const atMs = ctx.now().getTime();
  const reason = 'logged_out';
  const row = await ctx.pool.maybeOne(
    sql.type(z.object({ user_id: z.string(), family_id: z.string() }))`WITH presented AS (
       SELECT user_id, family_id FROM refresh_tokens WHERE token_hash = ${hashRefreshToken(refreshToken)}),
     revoked AS (
       UPDATE refresh_tokens t SET revoked_at = now() FROM presented p
        WHERE t.family_id = p.family_id AND t.revoked_at IS NULL RETURNING t.id),
     recorded AS (
       INSERT INTO session_ends (user_id, session_id, ended_at, reason)
       SELECT user_id, family_id, ${new Date(atMs).toISOString()}::timestamptz, ${reason} FROM presented
       ON CONFLICT (session_id) WHERE session_id IS NOT NULL DO NOTHING)
     SELECT user_id, family_id FROM presented`,
  );
  if (!row) return;
  await announceSessionsEnded(ctx.redis, ctx.keys, { userId: row.user_id, sessionId: row.family_id, atMs, reason });
}

/**
 * Ends every session of the user but `keepSessionId`: each other sign-in that may still have a
 * live refresh or access token is revoked, recorded and announced (see endSession).
 */
export async function endOtherSessions(
  ctx: EndSessionsContext,
  userId: string,
  keepSessionId: string,
  accessTokenTtlSeconds: number,
  reason: string,
): Promise<number> {
  const atMs = ctx.now().getTime();
  const families = await ctx.pool.anyFirst(
    sql.type(z.object({ family_id: z.string() }))`WITH ended AS (
       UPDATE refresh_tokens SET revoked_at = COALESCE(revoked_at, now())
        WHERE user_id = ${userId} AND family_id <> ${keepSessionId}
          AND (revoked_at IS NULL OR created_at > now() - make_interval(secs => ${accessTokenTtlSeconds}))
        RETURNING family_id),
     sessions AS (SELECT DISTINCT family_id FROM ended),
     recorded AS (
       INSERT INTO session_ends (user_id, session_id, ended_at, reason)
       SELECT ${userId}, family_id, ${new Date(atMs).toISOString()}::timestamptz, ${reason} FROM sessions
       ON CONFLICT (session_id) WHERE session_id IS NOT NULL DO NOTHING)
     SELECT family_id FROM sessions`,
  );
  for (const sessionId of families) await announceSessionsEnded(ctx.redis, ctx.keys, { userId, sessionId, atMs, reason });
  return families.length;
}
