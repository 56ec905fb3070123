import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';
import { type Config, loadConfig } from '../../core/config.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { deleteKeysWithPrefix } from '../../core/redis/delete-keys-with-prefix.js';
import { adminDatabaseUrl, databaseUrlFor, testRedisUrl } from './services.js';

export const TEST_METRICS_TOKEN = 'test-metrics-token-0123456789';
/** The header `/metrics` wants from tests. */
export const metricsAuth = { authorization: `Bearer ${TEST_METRICS_TOKEN}` } as const;

export const ADMIN = { email: 'admin@evently.test', password: 'admin-password-1' } as const;

export interface TestEnv {
  /** Environment variables for gateway and worker processes of this test file. */
  env: Record<string, string>;
  config: Config;
  databaseUrl: string;
  redisPrefix: string;
  /** Override some variables (e.g. shorter TTLs) and get a config for in-process servers. */
  configWith(overrides: Record<string, string>): Config;
}

async function adminQuery(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A fresh database cloned from the migrated template and a random Redis prefix for this test
 * file; both are removed after the file's tests.
 */
export async function createTestEnv(overrides: Record<string, string> = {}): Promise<TestEnv> {
  const id = randomBytes(5).toString('hex');
  const database = `evently_t_${id}`;
  const template = inject('templateDatabase');
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`CREATE DATABASE ${database} TEMPLATE ${template}`);
      break;
    } catch (err) {
      // Two files cloning the same template at the same instant: one waits and retries.
      if (attempt > 20 || !/being accessed/.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  const redisPrefix = `evt:${id}:`;
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrlFor(database),
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: redisPrefix,
    JWT_ACCESS_SECRET: `test-access-secret-${id}-0123456789abcdef`,
    ADMISSION_TOKEN_SECRET: `test-admission-secret-${id}-0123456789abcdef`,
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    SHUTDOWN_DEADLINE_MS: '3000',
    PG_POOL_SIZE: '10',
    // /metrics on the API port needs a bearer token: tests send this one (metricsAuth()).
    METRICS_TOKEN: TEST_METRICS_TOKEN,
    // Every test client is 127.0.0.1: per-address limits are raised here; tests of the limits
    // themselves set their own values (tests/integration/auth-throttle.test.ts).
    REGISTER_MAX_PER_ADDRESS: '100000',
    ADDRESS_COMMANDS_PER_SECOND: '10000000',
    MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: '1000000',
    MAX_PENDING_CONNECTIONS_PER_ADDRESS: '1000000',
    // Tests drive one user or socket far faster than a person does (bursts of hostile payloads,
    // 40 commands in flight at a shutdown): per-socket and per-user allowances are wide here too.
    // tests/integration/command-limits.test.ts runs the limits themselves with small values.
    SOCKET_COMMANDS_PER_SECOND: '1000',
    SOCKET_COMMAND_BURST: '2000',
    SOCKET_MAX_IN_FLIGHT: '200',
    USER_COMMANDS_PER_SECOND: '10000',
    MAX_SOCKETS_PER_USER: '1000',
    ...overrides,
  };
  afterAll(async () => {
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
    const redis = connectRedis(testRedisUrl());
    try {
      await deleteKeysWithPrefix(redis, redisPrefix);
    } finally {
      redis.disconnect();
    }
  });
  return {
    env,
    config: loadConfig(env),
    databaseUrl: env.DATABASE_URL as string,
    redisPrefix,
    configWith: (more) => loadConfig({ ...env, ...more }),
  };
}
