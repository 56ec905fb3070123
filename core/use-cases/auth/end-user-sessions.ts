import { z } from 'zod';
import { announceSessionsEnded } from '../../auth/ended-sessions.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

export interface EndSessionsContext {
  pool: Db;
  redis: Redis;
  keys: Keys;
  now: () => Date;
}

/**
 * Ends everything a user is signed in with, on every gateway: refresh tokens revoked, access
 * tokens issued until now refused (HTTP, handshakes, every socket command), live sockets on `/`
 * and `/admin` told (`session:ended`) and closed. For role changes, stolen sessions, account
 * locks. Callable from gateways and workers alike (it needs only Postgres and Redis).
 * The revocation and the durable record of the end (what a gateway seeds from when Redis lost its
 * copy) commit together first: if the announcement then fails the caller gets the error and may
 * retry; refresh is already impossible, and gateways learn the end from Postgres at their next seed.
 */
export async function endUserSessions(
  ctx: EndSessionsContext,
  userId: string,
  reason: string,
): Promise<{ revokedRefreshTokens: number }> {
  const atMs = ctx.now().getTime();
  const why = reason.slice(0, 64);
  const revokedRefreshTokens = await ctx.pool.oneFirst(
    sql.type(z.object({ revoked: z.number() }))`WITH revoked AS (
       UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = ${userId} AND revoked_at IS NULL RETURNING 1),
     recorded AS (
       INSERT INTO session_ends (user_id, ended_at, reason)
       SELECT id, ${new Date(atMs).toISOString()}::timestamptz, ${why} FROM users WHERE id = ${userId}
       -- Only the latest end of all a user's sessions matters: tokens issued until then are dead.
       ON CONFLICT (user_id) WHERE session_id IS NULL
       DO UPDATE SET ended_at = excluded.ended_at, reason = excluded.reason WHERE excluded.ended_at > session_ends.ended_at)
     SELECT count(*)::int AS revoked FROM revoked`,
  );
  await announceSessionsEnded(ctx.redis, ctx.keys, { userId, atMs, reason: why });
  return { revokedRefreshTokens };
}
