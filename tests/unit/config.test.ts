import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/config.js';
import { isPublishedSecret } from '../../core/published-secrets.js';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x',
  REDIS_URL: 'redis://127.0.0.1:6379',
  JWT_ACCESS_SECRET: 'a'.repeat(32),
  ADMISSION_TOKEN_SECRET: 'b'.repeat(32),
};

/** The problems loadConfig reports for this environment; none when it loads. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    return (err as ConfigError).problems;
  }
}

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

  it("takes a gateway role and the shop tier's origin, lets the web app reach it, and refuses bad ones", () => {
    const one = loadConfig(valid);
    expect([one.gatewayRole, one.shopUrl]).toEqual(['all', null]);
    expect(one.contentSecurityPolicy).toContain("connect-src 'self';");
    const tiered = loadConfig({ ...valid, GATEWAY_ROLE: 'queue', SHOP_URL: 'https://shop.example.com/' });
    expect([tiered.gatewayRole, tiered.shopUrl]).toEqual(['queue', 'https://shop.example.com']);
    expect(tiered.contentSecurityPolicy).toContain("connect-src 'self' https://shop.example.com wss://shop.example.com;");
    expect(
      loadConfig({ ...valid, SHOP_URL: 'https://shop.example.com', CONTENT_SECURITY_POLICY: "default-src 'none'" })
        .contentSecurityPolicy,
    ).toBe("default-src 'none'");
    const problems = problemsOf({ ...valid, GATEWAY_ROLE: 'cashier', SHOP_URL: 'https://shop.example.com/buy?x=1' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^GATEWAY_ROLE: /);
    expect(problems[1]).toMatch(/^SHOP_URL: must be an origin/);
    expect(problemsOf({ ...valid, SHOP_URL: 'javascript:alert(1)' })).toEqual([expect.stringMatching(/^SHOP_URL: /)]);
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

  it('names the variable in each problem, also for settings read into a group or derived from several', () => {
    const problems = problemsOf({
      ...valid,
      ADMISSION_MAX_ACTIVE: '0',
      CHALLENGE_CROWD_STEP: 'x',
      REDIS_COMMAND_TIMEOUT_MS: '1',
      ADMIN_PASSWORD: 'short',
    });
    for (const key of ['ADMISSION_MAX_ACTIVE', 'CHALLENGE_CROWD_STEP', 'REDIS_COMMAND_TIMEOUT_MS', 'ADMIN_PASSWORD']) {
      expect(
        problems.some((p) => p.startsWith(`${key}: `)),
        key,
      ).toBe(true);
    }
    const c = loadConfig({
      ...valid,
      CHALLENGE_MAX_NUMBER_MIN: '5000000',
      PUBLIC_URL: 'https://t.example/',
      SMTP_URL: 'smtp://m:25',
    });
    expect(c.challenge).toEqual({ ttlSeconds: 300, maxNumberMin: 5_000_000, maxNumberMax: 5_000_000, crowdStep: 1000 });
    expect([c.publicUrl, c.smtpUrl, c.metricsPort, c.devMailDir]).toEqual(['https://t.example', 'smtp://m:25', null, null]);
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

describe('production secrets', () => {
  const base = {
    DATABASE_URL: 'postgres://u@127.0.0.1:5432/db',
    REDIS_URL: 'redis://127.0.0.1:6379',
    JWT_ACCESS_SECRET: 'a'.repeat(16) + randomHex(),
    ADMISSION_TOKEN_SECRET: 'b'.repeat(16) + randomHex(),
  };
  function randomHex() {
    return Math.random().toString(16).slice(2).padEnd(16, '7');
  }

  it('refuses short or published secrets with NODE_ENV=production, and only then', () => {
    expect(problemsOf({ ...base, NODE_ENV: 'production' })).toEqual([]);
    const weak = { ...base, METRICS_TOKEN: 'sixteen-chars-ok', JWT_ACCESS_SECRET: 'change-me-access-secret-at-least-32-chars' };
    expect(
      problemsOf({
        ...weak,
        NODE_ENV: 'production',
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'change-me-admin-password',
      }),
    ).toEqual([
      'JWT_ACCESS_SECRET: this value is published in the repository; generate your own',
      'METRICS_TOKEN: in production a secret must be at least 32 bytes',
      'ADMIN_PASSWORD: this value is published in the repository; generate your own',
    ]);
    expect(problemsOf({ ...weak, NODE_ENV: 'development' })).toEqual([]);
  });

  it('makes a production gateway exit 78 with the compose file of an earlier release', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        ...base,
        NODE_ENV: 'production',
        ADMISSION_TOKEN_SECRET: 'change-me-admission-secret-at-least-32-chars',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.status).toBe(78);
    expect(r.stderr).toContain('ADMISSION_TOKEN_SECRET: this value is published');
  });

  it('the compose file and the docs carry no secret values, only placeholders; any they once had are known', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const compose = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    for (const m of compose.matchAll(
      /^\s*(JWT_ACCESS_SECRET|ADMISSION_TOKEN_SECRET|METRICS_TOKEN|ADMIN_PASSWORD|POSTGRES_PASSWORD):\s*(\S+)/gm,
    )) {
      expect(m[2], m[1]).toMatch(/^\$\{/);
    }
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    for (const m of readme.matchAll(/(?:JWT_ACCESS_SECRET|ADMISSION_TOKEN_SECRET|METRICS_TOKEN|ADMIN_PASSWORD)=([^\s`$]+)/g)) {
      expect(isPublishedSecret(m[1] as string), m[0]).toBe(true);
    }
  });
});
