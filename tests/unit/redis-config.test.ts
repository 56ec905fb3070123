import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';
import { isRedisUnavailable, translateRedisError } from '../../core/redis/translate-redis-error.js';

const base = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  JWT_ACCESS_SECRET: 'a'.repeat(32),
  ADMISSION_TOKEN_SECRET: 'b'.repeat(32),
};

function problemsOf(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.join('\n');
    throw err;
  }
  return '';
}

describe('Redis target in the config', () => {
  it('takes one server from REDIS_URL, with the command timeout', () => {
    const c = loadConfig({ ...base, REDIS_URL: 'redis://127.0.0.1:6379', REDIS_COMMAND_TIMEOUT_MS: '750' });
    expect(c.redis).toEqual({ kind: 'single', url: 'redis://127.0.0.1:6379', commandTimeoutMs: 750, coalesceWrites: true });
  });

  it("coalesces each connection's writes per event-loop turn unless REDIS_COALESCE_WRITES=false", () => {
    const single = { ...base, REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(loadConfig({ ...single, REDIS_COALESCE_WRITES: 'false' }).redis.coalesceWrites).toBe(false);
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001' }).redis.coalesceWrites).toBe(true);
    expect(problemsOf({ ...single, REDIS_COALESCE_WRITES: 'sometimes' })).toMatch(/REDIS_COALESCE_WRITES/);
  });

  it('takes a cluster from REDIS_CLUSTER_NODES', () => {
    const c = loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001, 127.0.0.1:7002,redis://127.0.0.1:7003' });
    expect(c.redis).toMatchObject({
      kind: 'cluster',
      nodes: [
        { host: '127.0.0.1', port: 7001 },
        { host: '127.0.0.1', port: 7002 },
        { host: '127.0.0.1', port: 7003 },
      ],
      tls: false,
      commandTimeoutMs: 2000,
    });
    const secured = loadConfig({
      ...base,
      REDIS_CLUSTER_NODES: 'rediss://:s3cret@a.example:7001,rediss://:s3cret@b.example:7002',
    });
    expect(secured.redis).toMatchObject({ kind: 'cluster', password: 's3cret', tls: true });
  });

  it('wants exactly one of REDIS_URL and REDIS_CLUSTER_NODES', () => {
    expect(problemsOf(base)).toMatch(/REDIS_URL: set exactly one/);
    expect(problemsOf({ ...base, REDIS_URL: 'redis://x:1', REDIS_CLUSTER_NODES: 'x:1' })).toMatch(/REDIS_URL: set exactly one/);
  });

  it('takes Sentinels from REDIS_SENTINELS, the master group from REDIS_SENTINEL_NAME', () => {
    const c = loadConfig({ ...base, REDIS_SENTINELS: '127.0.0.1:26379, 127.0.0.1:26380,redis://127.0.0.1:26381' });
    expect(c.redis).toMatchObject({
      kind: 'sentinel',
      name: 'mymaster',
      sentinels: [
        { host: '127.0.0.1', port: 26379 },
        { host: '127.0.0.1', port: 26380 },
        { host: '127.0.0.1', port: 26381 },
      ],
      tls: false,
      commandTimeoutMs: 2000,
    });
    const secured = loadConfig({
      ...base,
      REDIS_SENTINELS: 'rediss://:data-pass@a.example:26379,rediss://:data-pass@b.example:26379',
      REDIS_SENTINEL_NAME: 'evently-main',
      REDIS_SENTINEL_PASSWORD: 'sentinel-pass',
    });
    expect(secured.redis).toMatchObject({
      kind: 'sentinel',
      name: 'evently-main',
      password: 'data-pass',
      sentinelPassword: 'sentinel-pass',
      tls: true,
    });
    expect(problemsOf({ ...base, REDIS_SENTINELS: 'a:1', REDIS_SENTINEL_NAME: 'bad name;' })).toMatch(/REDIS_SENTINEL_NAME/);
    expect(problemsOf({ ...base, REDIS_SENTINELS: 'a' })).toMatch(/REDIS_SENTINELS: a: needs a host and a port/);
    expect(problemsOf({ ...base, REDIS_SENTINELS: 'a:1', REDIS_URL: 'redis://x:1' })).toMatch(/REDIS_URL: set exactly one/);
    expect(problemsOf({ ...base, REDIS_SENTINELS: 'a:1', REDIS_CLUSTER_NODES: 'x:1' })).toMatch(/REDIS_URL: set exactly one/);
  });

  it('names the bad cluster entry', () => {
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1' })).toMatch(
      /REDIS_CLUSTER_NODES: 127.0.0.1: needs a host and a port/,
    );
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: 'http://a:1' })).toMatch(/REDIS_CLUSTER_NODES: .*redis:\/\//);
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: 'redis://a:1/2' })).toMatch(/no databases/);
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: 'rediss://a:1,redis://b:2' })).toMatch(/same scheme/);
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: ' , ' })).toMatch(/REDIS_CLUSTER_NODES/);
  });
});

describe('Redis unavailable, translated once', () => {
  it('turns connection failures into a retryable OVERLOADED with retryAfterMs', () => {
    for (const message of [
      "Stream isn't writeable and enableOfflineQueue options is false",
      'Command timed out',
      'Connection is closed.',
      "Cluster isn't ready and enableOfflineQueue options is false",
      'connect ECONNREFUSED 127.0.0.1:1',
      "READONLY You can't write against a read only replica.",
      'All sentinels are unreachable. Retrying from scratch after 10ms.',
    ]) {
      expect(isRedisUnavailable(new Error(message)), message).toBe(true);
      expect(translateRedisError(new Error(message))).toMatchObject({
        code: 'OVERLOADED',
        retryable: true,
        details: { retryAfterMs: expect.any(Number) },
      });
    }
  });

  it('leaves errors Redis itself answered alone (bugs stay INTERNAL)', () => {
    const wrongType = new Error('WRONGTYPE Operation against a key holding the wrong kind of value');
    expect(translateRedisError(wrongType)).toBe(wrongType);
    expect(translateRedisError('not an error')).toBe('not an error');
  });
});
