import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let databaseUrl: string;
beforeAll(async () => {
  const t = await createTestEnv({ LOGIN_MAX_FAILURES: '3' });
  databaseUrl = t.databaseUrl;
  gw = await startGatewayProcess(t.env);
});

async function countUsers(): Promise<number> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
  } finally {
    await db.end();
  }
}

/** GET /api/me/state's status with this access token (200 while the sign-in lives). */
const meStatus = async (accessToken: string) => (await http(gw.url, 'GET', '/api/me/state', { token: accessToken })).status;

describe('auth', () => {
  it('registers, logs in, refreshes with rotation and logs out', async () => {
    const email = `alice-${Date.now()}@evently.test`;
    const reg = await http(gw.url, 'POST', '/api/auth/register', { body: { email, password: 'password-123', name: 'Alice' } });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toMatchObject({ email, name: 'Alice', role: 'user' });
    expect(reg.body.user).not.toHaveProperty('password_hash');

    const login = await http(gw.url, 'POST', '/api/auth/login', {
      body: { email: email.toUpperCase(), password: 'password-123' },
    });
    expect(login.status).toBe(200);
    const first = login.body.refreshToken as string;

    const refreshed = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: first } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refreshToken).not.toBe(first);
    const second = refreshed.body.refreshToken as string;

    // The rotated token is dead; presenting it again revokes the whole family.
    const reuse = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: first } });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('UNAUTHENTICATED');
    const afterReuse = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: second } });
    expect(afterReuse.status).toBe(401);

    const again = await http(gw.url, 'POST', '/api/auth/login', { body: { email, password: 'password-123' } });
    const out = await http(gw.url, 'POST', '/api/auth/logout', { body: { refreshToken: again.body.refreshToken } });
    expect(out.status).toBe(204);
    const afterLogout = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: again.body.refreshToken } });
    expect(afterLogout.status).toBe(401);
  });

  it('a reused refresh token ends its sign-in everywhere: the access tokens issued in it too, not the other sign-ins', async () => {
    const u = await registerUser(gw.url);
    const other = await http(gw.url, 'POST', '/api/auth/login', { body: { email: u.user.email, password: 'password-123' } });
    const rotated = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: u.refreshToken } });
    expect(rotated.status).toBe(200);
    const thiefAccess = rotated.body.accessToken as string;
    expect(await meStatus(thiefAccess)).toBe(200);
    expect(await meStatus(u.accessToken)).toBe(200);
    // The first token again: someone holds a copy of it.
    const reuse = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: u.refreshToken } });
    expect(reuse.status).toBe(401);
    await expect.poll(() => meStatus(thiefAccess), { timeout: 5000, interval: 100 }).toBe(401);
    expect(await meStatus(u.accessToken)).toBe(401);
    // Another sign-in of the same account is not that session: it lives on.
    expect(await meStatus(other.body.accessToken as string)).toBe(200);
    const stillRefreshes = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: other.body.refreshToken } });
    expect(stillRefreshes.status).toBe(200);
  });

  it('refuses a duplicate email with CONFLICT, case-insensitively', async () => {
    const u = await registerUser(gw.url);
    const dup = await http(gw.url, 'POST', '/api/auth/register', {
      body: { email: u.user.email.toUpperCase(), password: 'password-123', name: 'Dup' },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('CONFLICT');
  });

  it('does not reveal whether an email exists', async () => {
    const u = await registerUser(gw.url);
    const wrongPassword = await http(gw.url, 'POST', '/api/auth/login', {
      body: { email: u.user.email, password: 'nope-nope-nope' },
    });
    const unknownEmail = await http(gw.url, 'POST', '/api/auth/login', {
      body: { email: `ghost-${Date.now()}@evently.test`, password: 'nope-nope-nope' },
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownEmail.status).toBe(401);
    expect(wrongPassword.body).toEqual(unknownEmail.body);
  });

  it('rate limits repeated failed logins from one address, even with the right password afterwards', async () => {
    const u = await registerUser(gw.url);
    for (let i = 0; i < 3; i++) {
      const r = await http(gw.url, 'POST', '/api/auth/login', { body: { email: u.user.email, password: 'wrong-password' } });
      expect(r.status).toBe(401);
    }
    const limited = await http(gw.url, 'POST', '/api/auth/login', { body: { email: u.user.email, password: 'password-123' } });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
  });

  it('creates the admin from the environment', async () => {
    const admin = await loginAdmin(gw.url);
    expect(admin.user.role).toBe('admin');
  });

  it.each([
    ['malformed JSON', { raw: '{"email": ' }, 400],
    ['wrong types', { body: { email: 42, password: ['x'], name: null } }, 400],
    ['unknown fields', { body: { email: 'a@b.test', password: 'password-123', name: 'A', role: 'admin' } }, 400],
    ['an invalid email', { body: { email: 'not-an-email', password: 'password-123', name: 'A' } }, 400],
    ['a short password', { body: { email: 'short@b.test', password: 'x', name: 'A' } }, 400],
    ['a very long name', { body: { email: 'long@b.test', password: 'password-123', name: 'x'.repeat(10_000) } }, 400],
    [
      'an oversized body',
      { raw: JSON.stringify({ email: 'big@b.test', password: 'password-123', name: 'x'.repeat(200_000) }) },
      413,
    ],
    ['a non-JSON content type', { raw: 'email=a', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 400],
  ])('register refuses %s and changes nothing', async (_name, opts, status) => {
    const before = await countUsers();
    const res = await http(gw.url, 'POST', '/api/auth/register', opts as never);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(await countUsers()).toBe(before);
  });

  it('treats SQL-looking input as plain data', async () => {
    const email = `robert'); DROP TABLE users;--@evently.test`;
    const res = await http(gw.url, 'POST', '/api/auth/login', { body: { email, password: "' OR '1'='1" } });
    expect(res.status).toBe(401);
    const reg = await http(gw.url, 'POST', '/api/auth/register', {
      body: { email: `sql-${Date.now()}@evently.test`, password: 'password-123', name: "Robert'); DROP TABLE users;--" },
    });
    expect(reg.status).toBe(201);
    expect(reg.body.user.name).toBe("Robert'); DROP TABLE users;--");
    expect((await loginAdmin(gw.url)).user.role).toBe('admin');
  });
});
