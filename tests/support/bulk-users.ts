import { randomBytes } from 'node:crypto';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { dbQuery } from './db-query.js';

/** A well-formed argon2id hash nobody logs in with: bulk users only ever use minted tokens. */
const UNUSABLE_HASH = '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG';

/**
 * Many users at once, straight into Postgres with access tokens signed by the gateway's secret:
 * registering a thousand users over HTTP would spend a minute in argon2 on two cores.
 */
export async function createBulkUsers(
  databaseUrl: string,
  jwtAccessSecret: string,
  count: number,
): Promise<{ userId: string; accessToken: string }[]> {
  const tag = randomBytes(4).toString('hex');
  const rows = await dbQuery<{ id: string }>(
    databaseUrl,
    `INSERT INTO users (email, name, password_hash)
     SELECT 'bulk-' || $1 || '-' || i || '@evently.test', 'Bulk ' || i, $2 FROM generate_series(1, $3) i RETURNING id`,
    [tag, UNUSABLE_HASH, count],
  );
  return rows.map((r) => ({ userId: r.id, accessToken: signAccessToken({ userId: r.id, role: 'user' }, jwtAccessSecret, 3600) }));
}
