import { announceSessionsEnded } from '../../auth/ended-sessions.js';
import type { Db } from '../../db/pool.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { revokeRefreshTokens } from './revoke-refresh-tokens.js';

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
 * The revocation commits first: if the announcement then fails the caller gets the error and
 * may retry; refresh is already impossible.
 */
export async function endUserSessions(
  ctx: EndSessionsContext,
  userId: string,
  reason: string,
): Promise<{ revokedRefreshTokens: number }> {
  const revokedRefreshTokens = await revokeRefreshTokens(ctx.pool, userId);
  await announceSessionsEnded(ctx.redis, ctx.keys, { userId, atMs: ctx.now().getTime(), reason: reason.slice(0, 64) });
  return { revokedRefreshTokens };
}
