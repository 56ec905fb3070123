import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { hashRefreshToken } from '../../core/auth/refresh-tokens.js';
import { createAdminClient, createClient } from '../../core/contract/create-client.js';
import type { AuthReply } from '../../core/contract/http.js';
import { connectRedis, type Redis } from '../../core/redis/connect-redis.js';
import { deleteKeysWithPrefix } from '../../core/redis/delete-keys-with-prefix.js';
import { createKeys } from '../../core/redis/keys.js';
import { connectAdmin, connectClient, connectRefusal } from '../support/connect-client.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gwA: StartedProcess;
let gwB: StartedProcess;
let redis: Redis;

beforeAll(async () => {
  t = await createTestEnv({ ENDED_SESSIONS_POLL_MS: '500' });
  [gwA, gwB] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  redis = connectRedis(t.env.REDIS_URL as string);
});
afterAll(() => redis?.disconnect());

const login = (email: string, password = 'password-123') =>
  http<AuthReply>(gwA.url, 'POST', '/api/auth/login', { body: { email, password } });
const me = (url: string, token: string) => http(url, 'GET', '/api/me/bookings', { token });
const closedSoon = (c: { socket: { connected: boolean } }) => waitUntil('the socket to close', () => !c.socket.connected, 5000);

/** Two sign-ins of one account: a socket of each on each gateway. */
async function twoSessions() {
  const reg = await registerUser(gwA.url);
  const s1 = (await login(reg.user.email)).body;
  const s2 = (await login(reg.user.email)).body;
  const opts = { reconnection: false };
  const sockets = {
    s1a: await connectClient(gwA.url, s1.accessToken, opts),
    s1b: await connectClient(gwB.url, s1.accessToken, opts),
    s2b: await connectClient(gwB.url, s2.accessToken, opts),
  };
  return { reg, s1, s2, sockets };
}

describe('logout (v1.2)', () => {
  it('ends that session everywhere within 5 s: refresh token, its access tokens, its sockets; the other session lives', async () => {
    const { s1, s2, sockets } = await twoSessions();
    expect((await me(gwB.url, s1.accessToken)).status).toBe(200);
    const out = await http(gwB.url, 'POST', '/api/auth/logout', { body: { refreshToken: s1.refreshToken } });
    expect(out.status).toBe(204);
    await Promise.all([closedSoon(sockets.s1a), closedSoon(sockets.s1b)]);
    for (const gw of [gwA, gwB]) {
      expect((await me(gw.url, s1.accessToken)).status).toBe(401);
      expect((await connectRefusal(createClient(gw.url, s1.accessToken, { reconnection: false }))).data.code).toBe(
        'UNAUTHENTICATED',
      );
      expect((await me(gw.url, s2.accessToken)).status).toBe(200);
    }
    expect((await http(gwA.url, 'POST', '/api/auth/refresh', { body: { refreshToken: s1.refreshToken } })).status).toBe(401);
    expect(sockets.s2b.socket.connected).toBe(true);
    expect((await sockets.s2b.bookingList({})).ok).toBe(true);
    // Logging out twice, or with an unknown token, is quiet.
    expect((await http(gwA.url, 'POST', '/api/auth/logout', { body: { refreshToken: s1.refreshToken } })).status).toBe(204);
    expect((await http(gwA.url, 'POST', '/api/auth/logout', { body: { refreshToken: 'x'.repeat(40) } })).status).toBe(204);
    // The durable record keeps one row per ended session, however often its logout is repeated.
    const rows = await dbQuery<{ n: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM session_ends e JOIN refresh_tokens r ON r.family_id = e.session_id
        WHERE r.token_hash = $1`,
      [hashRefreshToken(s1.refreshToken)],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('reaches a gateway that missed the pub/sub message: the store of ended sessions is read, not only the channel', async () => {
    const { s1, reg, sockets } = await twoSessions();
    const family = (
      await dbQuery<{ family_id: string }>(t.databaseUrl, 'SELECT family_id FROM refresh_tokens WHERE token_hash = $1', [
        hashRefreshToken(s1.refreshToken),
      ])
    )[0]?.family_id;
    // What announceSessionsEnded stores, without the publish: as if every subscriber was reconnecting.
    await redis.zadd(createKeys(t.redisPrefix).sessionsEndedLog, Date.now(), `s:${family}:${reg.user.id}`);
    await waitUntil(
      'the session refused on both gateways',
      async () => (await me(gwA.url, s1.accessToken)).status === 401 && (await me(gwB.url, s1.accessToken)).status === 401,
      5000,
    );
    await Promise.all([closedSoon(sockets.s1a), closedSoon(sockets.s1b)]);
    expect(sockets.s2b.socket.connected).toBe(true);
  });
});

describe('ended sessions outlive a Redis that lost its data (Postgres keeps them)', () => {
  it("a gateway started after the run's Redis keys are gone refuses ended sessions (logout, password change, role change) on HTTP and at the handshake; live ones work", async () => {
    const { s1, s2, sockets } = await twoSessions();
    expect((await http(gwA.url, 'POST', '/api/auth/logout', { body: { refreshToken: s1.refreshToken } })).status).toBe(204);
    // One session of each ending that ends sessions of its own kind: a password change ends the
    // account's other sessions, a role change every session of the account.
    const b = await twoSessions();
    const changed = await http(gwA.url, 'POST', '/api/auth/password', {
      token: b.s1.accessToken,
      body: { currentPassword: 'password-123', newPassword: 'new-password-456' },
    });
    expect(changed.status).toBe(204);
    const c = await registerUser(gwA.url);
    const admin = await loginAdmin(gwA.url);
    const promoted = await http(gwA.url, 'PATCH', `/api/admin/users/${c.user.id}`, {
      token: admin.accessToken,
      body: { role: 'admin' },
    });
    expect(promoted.status).toBe(200);
    await Promise.all([closedSoon(sockets.s1a), closedSoon(sockets.s1b), closedSoon(b.sockets.s2b)]);
    // Tokens carry their issue time in whole seconds: a sign-in after the role change, in a later second.
    await new Promise((r) => setTimeout(r, 1100));
    const cAgain = (await login(c.user.email)).body;
    // A Redis restarted without persistence, or a replica promoted before it had the ends.
    await deleteKeysWithPrefix(redis, t.redisPrefix);
    const gwC = await startGatewayProcess(t.env);
    try {
      for (const ended of [s1, b.s2, c]) {
        expect((await me(gwC.url, ended.accessToken)).status).toBe(401);
        const refusal = await connectRefusal(createClient(gwC.url, ended.accessToken, { reconnection: false }));
        expect(refusal.data.code).toBe('UNAUTHENTICATED');
        expect(refusal.message).toMatch(/session has ended/);
      }
      for (const live of [s2, b.s1, cAgain]) {
        expect((await me(gwC.url, live.accessToken)).status).toBe(200);
        const socket = await connectClient(gwC.url, live.accessToken, { reconnection: false });
        expect((await socket.bookingList({})).ok).toBe(true);
        socket.socket.disconnect();
      }
      for (const gw of [gwA, gwB]) expect((await me(gw.url, s1.accessToken)).status).toBe(401);
    } finally {
      await gwC.stop();
    }
  });

  it('running gateways seed from Postgres when the store comes back empty: an end Redis lost before they read it still lands', async () => {
    const { s1, s2, reg, sockets } = await twoSessions();
    const [row] = await dbQuery<{ family_id: string }>(
      t.databaseUrl,
      'SELECT family_id FROM refresh_tokens WHERE token_hash = $1',
      [hashRefreshToken(s1.refreshToken)],
    );
    // What logout commits to Postgres; its Redis record and message are lost with the keys.
    await dbQuery(
      t.databaseUrl,
      `INSERT INTO session_ends (user_id, session_id, ended_at, reason) VALUES ($1, $2, now(), 'logged_out')`,
      [reg.user.id, row?.family_id],
    );
    await deleteKeysWithPrefix(redis, t.redisPrefix);
    await waitUntil(
      'the session refused on both gateways',
      async () => (await me(gwA.url, s1.accessToken)).status === 401 && (await me(gwB.url, s1.accessToken)).status === 401,
      5000,
    );
    await Promise.all([closedSoon(sockets.s1a), closedSoon(sockets.s1b)]);
    expect(sockets.s2b.socket.connected).toBe(true);
    expect((await me(gwA.url, s2.accessToken)).status).toBe(200);
  });
});

describe('password change (v1.2)', () => {
  it('needs the current password, then ends every other session and keeps this one', async () => {
    const { reg, s1, s2, sockets } = await twoSessions();
    const wrong = await http(gwA.url, 'POST', '/api/auth/password', {
      token: s1.accessToken,
      body: { currentPassword: 'nope-nope', newPassword: 'new-password-456' },
    });
    expect(wrong.status).toBe(401);
    expect((await me(gwB.url, s2.accessToken)).status).toBe(200);
    const ok = await http(gwA.url, 'POST', '/api/auth/password', {
      token: s1.accessToken,
      body: { currentPassword: 'password-123', newPassword: 'new-password-456' },
    });
    expect(ok.status).toBe(204);
    await closedSoon(sockets.s2b);
    expect((await me(gwB.url, s2.accessToken)).status).toBe(401);
    expect((await http(gwA.url, 'POST', '/api/auth/refresh', { body: { refreshToken: s2.refreshToken } })).status).toBe(401);
    expect((await me(gwB.url, s1.accessToken)).status).toBe(200);
    expect(sockets.s1a.socket.connected && sockets.s1b.socket.connected).toBe(true);
    expect((await login(reg.user.email)).status).toBe(401);
    expect((await login(reg.user.email, 'new-password-456')).status).toBe(200);
  });
});

describe('password reset by mail (v1.2)', () => {
  it('answers 202 for anyone, mails a single-use link, and the new password ends every session', async () => {
    const { reg, s1, s2, sockets } = await twoSessions();
    const unknown = await http(gwA.url, 'POST', '/api/auth/password-reset', { body: { email: 'nobody-here@evently.test' } });
    expect(unknown.status).toBe(202);
    const asked = await http(gwA.url, 'POST', '/api/auth/password-reset', { body: { email: reg.user.email.toUpperCase() } });
    expect(asked.status).toBe(202);
    const mails = await dbQuery<{ text_body: string; to_email: string; kind: string }>(
      t.databaseUrl,
      `SELECT text_body, to_email, kind FROM notification_outbox WHERE user_id = $1`,
      [reg.user.id],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ kind: 'password_reset', to_email: reg.user.email });
    const link = /http:\/\/localhost:3000\/reset-password\?token=([\w-]+)/.exec(mails[0]?.text_body ?? '');
    expect(link).not.toBeNull();
    const token = link?.[1] as string;
    const confirm = (password: string) =>
      http(gwB.url, 'POST', '/api/auth/password-reset/confirm', { body: { token, password } });
    expect((await confirm('reset-password-789')).status).toBe(204);
    const again = await confirm('another-password-1');
    expect(again.status).toBe(400);
    expect(again.body.error.code).toBe('VALIDATION_FAILED');
    await Promise.all(Object.values(sockets).map(closedSoon));
    for (const s of [s1, s2]) expect((await me(gwA.url, s.accessToken)).status).toBe(401);
    expect((await login(reg.user.email)).status).toBe(401);
    expect((await login(reg.user.email, 'reset-password-789')).status).toBe(200);
    expect((await login(reg.user.email, 'another-password-1')).status).toBe(401);
  });

  it('refuses an expired or made-up token, changing nothing', async () => {
    const reg = await registerUser(gwA.url);
    await http(gwA.url, 'POST', '/api/auth/password-reset', { body: { email: reg.user.email } });
    const [mail] = await dbQuery<{ text_body: string }>(
      t.databaseUrl,
      `SELECT text_body FROM notification_outbox WHERE user_id = $1`,
      [reg.user.id],
    );
    const token = /token=([\w-]+)/.exec(mail?.text_body ?? '')?.[1] as string;
    await dbQuery(t.databaseUrl, `UPDATE account_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [
      reg.user.id,
    ]);
    for (const tok of [token, 'made-up-token-made-up-token']) {
      const r = await http(gwA.url, 'POST', '/api/auth/password-reset/confirm', {
        body: { token: tok, password: 'whatever-123' },
      });
      expect(r.status).toBe(400);
    }
    expect((await login(reg.user.email)).status).toBe(200);
  });
});

describe('email verification (v1.2)', () => {
  it('mails a single-use link; following it makes emailVerified true', async () => {
    const reg = await registerUser(gwA.url);
    expect((await http(gwA.url, 'POST', '/api/auth/verify-email/request')).status).toBe(401);
    expect((await http(gwA.url, 'POST', '/api/auth/verify-email/request', { token: reg.accessToken })).status).toBe(202);
    const [mail] = await dbQuery<{ text_body: string; kind: string }>(
      t.databaseUrl,
      `SELECT text_body, kind FROM notification_outbox WHERE user_id = $1`,
      [reg.user.id],
    );
    expect(mail?.kind).toBe('email_verification');
    const token = /http:\/\/localhost:3000\/verify-email\?token=([\w-]+)/.exec(mail?.text_body ?? '')?.[1] as string;
    expect(token).toBeTruthy();
    expect((await http(gwB.url, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(204);
    expect((await http(gwB.url, 'POST', '/api/auth/verify-email', { body: { token } })).status).toBe(400);
    expect((await login(reg.user.email)).body.user.emailVerified).toBe(true);
  });

  it('limits the mails per account and per address', async () => {
    const reg = await registerUser(gwA.url);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      statuses.push((await http(gwA.url, 'POST', '/api/auth/verify-email/request', { token: reg.accessToken })).status);
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429, 429]);
  });
});

describe('the role comes from the database where it grants anything', () => {
  it('a token signed with an admin claim for a plain account opens neither /admin nor admin routes', async () => {
    const u = await registerUser(gwA.url);
    const claimed = signAccessToken({ userId: u.user.id, role: 'admin' }, t.env.JWT_ACCESS_SECRET as string, 300);
    const refusal = await connectRefusal(createAdminClient(gwA.url, claimed, { reconnection: false }));
    expect(['UNAUTHENTICATED', 'FORBIDDEN']).toContain(refusal.data.code);
    expect((await http(gwA.url, 'GET', '/api/admin/users', { token: claimed })).status).toBe(401);
  });

  it('an account promoted by ADMIN_EMAIL at start-up: its earlier access tokens do not pass admin routes', async () => {
    const before = await registerUser(gwA.url);
    const promoted = await startGatewayProcess({ ...t.env, ADMIN_EMAIL: before.user.email, ADMIN_PASSWORD: 'promoted-pass-1' });
    try {
      const old = await http(promoted.url, 'GET', '/api/admin/users', { token: before.accessToken });
      expect(old.status).toBe(401);
      expect(old.body.error.details).toMatchObject({ reason: 'role_changed' });
      const refusal = await connectRefusal(createAdminClient(promoted.url, before.accessToken, { reconnection: false }));
      expect(refusal.data.code).toBe('UNAUTHENTICATED');
      const fresh = await http<AuthReply>(promoted.url, 'POST', '/api/auth/login', {
        body: { email: before.user.email, password: 'promoted-pass-1' },
      });
      expect((await http(promoted.url, 'GET', '/api/admin/users', { token: fresh.body.accessToken })).status).toBe(200);
      const admin = await connectAdmin(promoted.url, fresh.body.accessToken, { reconnection: false });
      expect(admin.socket.connected).toBe(true);
    } finally {
      await promoted.stop();
    }
  });

  it('an admin still signed in keeps working', async () => {
    const admin = await loginAdmin(gwA.url);
    expect((await http(gwA.url, 'GET', '/api/admin/users', { token: admin.accessToken })).status).toBe(200);
  });
});
