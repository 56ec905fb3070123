import pg from 'pg';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { hashPassword } from '../../core/auth/passwords.js';
import { findWritableUrl } from '../../core/db/host-locator.js';
import type { BenchUser } from './bench-types.js';

/**
 * Inserts `count` users straight into Postgres with one shared argon2id hash (registration would
 * hash once per user: minutes of CPU for 20,000 users) and mints their access tokens with the
 * run's secret, exactly as a login would.
 */
export async function seedUsers(databaseUrl: string, jwtSecret: string, count: number, runId: string): Promise<BenchUser[]> {
  const hash = await hashPassword(`bench-${runId}`);
  const db = new pg.Client({ connectionString: await findWritableUrl(databaseUrl) });
  await db.connect();
  try {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO users (email, name, password_hash)
       SELECT 'bench-' || g || '@bench.evently.test', 'Bench user ' || g, $1
       FROM generate_series(1, $2::int) AS g
       RETURNING id`,
      [hash, count],
    );
    return rows.map(({ id }) => ({ id, token: signAccessToken({ userId: id, role: 'user' }, jwtSecret, 4 * 3600) }));
  } finally {
    await db.end();
  }
}
