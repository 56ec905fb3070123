import { beforeAll, describe, expect, it } from 'vitest';
import { dbQuery } from '../support/db-query.js';
import { http, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let direct: StartedProcess;
let behindProxy: StartedProcess;
beforeAll(async () => {
  t = await createTestEnv({ LOGIN_MAX_FAILURES: '3', LOGIN_MAX_FAILURES_PER_ADDRESS: '1000', REGISTER_MAX_PER_ADDRESS: '1000' });
  [direct, behindProxy] = await Promise.all([
    startGatewayProcess(t.env),
    startGatewayProcess({
      ...t.env,
      TRUSTED_PROXIES: '127.0.0.1,::1',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
      REGISTER_MAX_PER_ADDRESS: '2',
    }),
  ]);
});

const login = (url: string, email: string, password: string, headers: Record<string, string> = {}) =>
  http(url, 'POST', '/api/auth/login', { body: { email, password }, headers });

let n = 0;
const register = (url: string, headers: Record<string, string> = {}) => {
  n += 1;
  return http(url, 'POST', '/api/auth/register', {
    body: { email: `throttle-${Date.now()}-${n}@evently.test`, password: 'password-123', name: 'T' },
    headers,
  });
};

describe('login throttling', () => {
  it('gives a burst of 40 parallel guesses no more tries than the limit', async () => {
    const victim = await registerUser(direct.url);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(direct.url, victim.user.email, `wrong-password-${i}`)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(37);
    expect(statuses.every((s) => s === 401 || s === 429)).toBe(true);
    const limited = results.find((r) => r.status === 429);
    expect(limited?.body.error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited?.body.error.details.retryAfterMs).toBeGreaterThan(0);
    expect(Number(limited?.headers.get('retry-after'))).toBeGreaterThan(0);
    // Even the right password now waits out the window.
    expect((await login(direct.url, victim.user.email, 'password-123')).status).toBe(429);
  });

  it('does not count successful logins against the allowance', async () => {
    const u = await registerUser(direct.url);
    for (let i = 0; i < 6; i++) expect((await login(direct.url, u.user.email, 'password-123')).status).toBe(200);
    expect((await login(direct.url, u.user.email, 'wrong-password')).status).toBe(401);
    expect((await login(direct.url, u.user.email, 'password-123')).status).toBe(200);
  });

  it('believes X-Forwarded-For only from a trusted proxy, and only its rightmost untrusted hop', async () => {
    // Direct: the header is the client's own claim; every spoofed address shares 127.0.0.1's allowance.
    const spoofing = await Promise.all(
      Array.from({ length: 6 }, (_, i) => register(direct.url, { 'x-forwarded-for': `198.51.100.${i}` })),
    );
    expect(spoofing.every((r) => r.status === 201)).toBe(true); // direct gateway: limit 1000 per address

    // Behind the proxy (limit 2 per address): each forwarded client has its own allowance.
    const a = { 'x-forwarded-for': '203.0.113.10' };
    const b = { 'x-forwarded-for': '203.0.113.20' };
    expect((await register(behindProxy.url, a)).status).toBe(201);
    expect((await register(behindProxy.url, a)).status).toBe(201);
    const third = await register(behindProxy.url, a);
    expect(third.status).toBe(429);
    expect(third.body.error.details.retryAfterMs).toBeGreaterThan(0);
    expect((await register(behindProxy.url, b)).status).toBe(201);
    // A client that prepends a fake address is still counted as itself (the proxy appended it).
    expect((await register(behindProxy.url, { 'x-forwarded-for': `192.0.2.99, 203.0.113.10` })).status).toBe(429);
  });

  it('never locks the owner out: failures from one address leave the right password working from another', async () => {
    const victim = await registerUser(direct.url);
    const attacker = { 'x-forwarded-for': '198.51.100.10' };
    for (let i = 0; i < 3; i++) expect((await login(behindProxy.url, victim.user.email, 'wrong', attacker)).status).toBe(401);
    // The attacker's address is out of guesses for this account, even with the right password...
    expect((await login(behindProxy.url, victim.user.email, 'password-123', attacker)).status).toBe(429);
    // ...and the owner, from an address that has not been failing, gets in.
    const owner = await login(behindProxy.url, victim.user.email, 'password-123', { 'x-forwarded-for': '198.51.100.11' });
    expect(owner.status).toBe(200);
    expect((await login(direct.url, victim.user.email, 'password-123')).status).toBe(200);
  });

  it('counts an IPv6 /64 as one address', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(direct.url)));
    const statuses: number[] = [];
    for (const [i, u] of users.entries()) {
      // Five different addresses of one /64, five different accounts: one allowance of 4.
      const from = { 'x-forwarded-for': `2001:db8:77:1:${i + 1}::${i + 7}` };
      statuses.push((await login(behindProxy.url, u.user.email, 'wrong-password', from)).status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    const elsewhere = { 'x-forwarded-for': '2001:db8:77:2::1' };
    expect((await login(behindProxy.url, users[0]?.user.email as string, 'password-123', elsewhere)).status).toBe(200);
  });

  it('throttles failed logins per forwarded address behind a proxy', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.66' };
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => registerUser(direct.url)));
    const statuses: number[] = [];
    for (const u of users) statuses.push((await login(behindProxy.url, u.user.email, 'wrong-password', attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
    // Another client behind the same proxy is unaffected.
    expect(
      (await login(behindProxy.url, users[0]?.user.email as string, 'password-123', { 'x-forwarded-for': '203.0.113.67' }))
        .status,
    ).toBe(200);
  });
});

describe('registration throttling', () => {
  it('refuses registrations past the per-address limit without hashing or creating anything', async () => {
    const before = (await dbQuery<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM users'))[0]?.n;
    const who = { 'x-forwarded-for': '203.0.113.99' };
    const results = await Promise.all(Array.from({ length: 10 }, () => register(behindProxy.url, who)));
    expect(results.filter((r) => r.status === 201).length).toBe(2);
    expect(results.filter((r) => r.status === 429).length).toBe(8);
    const after = (await dbQuery<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM users'))[0]?.n;
    expect(after).toBe((before as number) + 2);
  });

  it('counts registrations from one IPv6 /64 together', async () => {
    const results = [];
    for (let i = 1; i <= 4; i++) results.push(await register(behindProxy.url, { 'x-forwarded-for': `2001:db8:99:5::${i}` }));
    expect(results.map((r) => r.status)).toEqual([201, 201, 429, 429]);
  });

  it('does not spend the allowance on invalid bodies', async () => {
    const who = { 'x-forwarded-for': '203.0.113.123' };
    for (let i = 0; i < 5; i++) {
      const bad = await http(behindProxy.url, 'POST', '/api/auth/register', { body: { email: 'nope' }, headers: who });
      expect(bad.status).toBe(400);
    }
    expect((await register(behindProxy.url, who)).status).toBe(201);
  });
});

describe('password work (argon2) per gateway', () => {
  it('runs a burst of sign-ups a few at a time and sheds the rest with OVERLOADED, creating only the answered ones', async () => {
    const narrow = await startGatewayProcess({ ...t.env, PASSWORD_WORK_CONCURRENCY: '1', PASSWORD_WORK_QUEUE: '1' });
    const before = (await dbQuery<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM users'))[0]?.n as number;
    const results = await Promise.all(Array.from({ length: 12 }, () => register(narrow.url)));
    const created = results.filter((r) => r.status === 201).length;
    const shed = results.filter((r) => r.status === 503);
    expect(created + shed.length).toBe(12);
    expect(shed.length).toBeGreaterThan(0);
    expect(shed[0]?.body.error).toMatchObject({ code: 'OVERLOADED', details: { retryAfterMs: expect.any(Number) } });
    const after = (await dbQuery<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM users'))[0]?.n;
    expect(after).toBe(before + created);
    await narrow.stop();
  });
});
