import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ACCESS_SECRET: 'a'.repeat(32),
  ADMISSION_TOKEN_SECRET: 'b'.repeat(32),
};

describe('config', () => {
  it('applies defaults, converts units and freezes the result', () => {
    const c = loadConfig({ ...valid, PORT: '4000', REDLOCK_ENABLED: 'false' });
    expect(c.port).toBe(4000);
    expect(c.redlockEnabled).toBe(false);
    expect(c.holdTtlSeconds).toBe(300);
    expect(c.admission).toEqual({ maxActive: 500, admitPerTick: 50, tickMs: 1000, sessionTtlSeconds: 900 });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.admission)).toBe(true);
    expect(c.admin).toBeNull();
  });

  it('reports every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        JWT_ACCESS_SECRET: 'short',
        ADMIN_EMAIL: 'a@b.test',
        HOLD_TTL_SECONDS: '-1',
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of [
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'JWT_ACCESS_SECRET',
      'ADMISSION_TOKEN_SECRET',
      'ADMIN_PASSWORD',
      'HOLD_TTL_SECONDS',
    ]) {
      expect(problems).toContain(key);
    }
  });

  it('makes the gateway exit non-zero with the list when the environment is wrong', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: 'nope', REDIS_URL: 'redis://127.0.0.1:6379' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('Invalid configuration');
    expect(r.stderr).toContain('PORT');
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stderr).toContain('JWT_ACCESS_SECRET');
  });
});
