import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { signAccessToken } from '../../auth/access-tokens.js';
import { hashRefreshToken, newRefreshToken } from '../../auth/refresh-tokens.js';
import type { AuthReply, PublicUser } from '../../contract/http.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export interface TokenSettings {
  jwtAccessSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
}

/** Issues an access token and a new refresh token (in `familyId`, a new family by default). */
export async function issueSession(
  db: Db,
  user: PublicUser,
  s: TokenSettings,
  familyId: string = randomUUID(),
): Promise<AuthReply & { refreshTokenId: string }> {
  const refreshToken = newRefreshToken();
  const refreshTokenId = await db.oneFirst(
    sql.type(z.object({ id: z.string() }))`INSERT INTO refresh_tokens (user_id, family_id, token_hash, expires_at)
     VALUES (${user.id}, ${familyId}, ${hashRefreshToken(refreshToken)}, now() + make_interval(secs => ${s.refreshTokenTtlSeconds}))
     RETURNING id`,
  );
  const accessToken = signAccessToken(
    { userId: user.id, role: user.role, sessionId: familyId },
    s.jwtAccessSecret,
    s.accessTokenTtlSeconds,
  );
  return { user, accessToken, refreshToken, refreshTokenId };
}
