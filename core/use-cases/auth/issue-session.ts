import { randomUUID } from 'node:crypto';
import { signAccessToken } from '../../auth/access-tokens.js';
import { hashRefreshToken, newRefreshToken } from '../../auth/refresh-tokens.js';
import type { AuthReply, PublicUser } from '../../contract/http.js';
import type { Queryable } from '../../db/pool.js';

export interface TokenSettings {
  jwtAccessSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Issues an access token and a new refresh token (in `familyId`, a new family by default). */
export async function issueSession(
  db: Queryable,
  user: PublicUser,
  s: TokenSettings,
  familyId: string = randomUUID(),
): Promise<AuthReply & { refreshTokenId: string }> {
  const refreshToken = newRefreshToken();
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     VALUES ($1, $2, $3, now() + make_interval(secs => $4)) RETURNING id`,
    [user.id, familyId, hashRefreshToken(refreshToken), s.refreshTokenTtlSeconds],
  );
  const accessToken = signAccessToken({ userId: user.id, role: user.role }, s.jwtAccessSecret, s.accessTokenTtlSeconds);
  return { user, accessToken, refreshToken, refreshTokenId: (rows[0] as { id: string }).id };
}
