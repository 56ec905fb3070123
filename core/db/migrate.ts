import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import pg from 'pg';
import { findWritableUrl } from './host-locator.js';

const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
/** Our own blocking lock: node-pg-migrate's lock fails fast when another process migrates,
 * while several gateways starting together should wait for each other instead. */
const MIGRATION_LOCK_KEY = 727_001;

/**
 * Applies pending migrations under an advisory lock; safe to run from many processes at once.
 * Not through the slonik pool: node-pg-migrate runs each migration file (static SQL read from
 * migrations/, several statements each) as one simple-protocol query on a pg client of its own,
 * which slonik's pg driver cannot do (extended protocol, one statement per query), and the
 * session-level advisory lock must be held on that same client. Its two statements are static.
 */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => {}): Promise<string[]> {
  // Several hosts in DATABASE_URL: the one that accepts writes (a failover under way is waited out).
  const client = new pg.Client({ connectionString: await findWritableUrl(databaseUrl) });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await runner({
      dbClient: client,
      dir: MIGRATIONS_DIR,
      direction: 'up',
      migrationsTable: 'pgmigrations',
      noLock: true,
      checkOrder: true,
      log,
      verbose: false,
    });
    return applied.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}
