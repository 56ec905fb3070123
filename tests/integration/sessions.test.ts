import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { createAdminClient, createClient } from '../../core/contract/create-client.js';
import { createPool, type Pool } from '../../core/db/pool.js';
import { connectRedis, type Redis } from '../../core/redis/connect-redis.js';
import { createKeys } from '../../core/redis/keys.js';
import { endUserSessions } from '../../core/use-cases/auth/end-user-sessions.js';
import { connectAdmin, connectClient, connectRefusal, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gwA: StartedProcess;
let gwB: StartedProcess;
let pool: Pool;
let redis: Redis;
let eventId: string;

beforeAll(async () => {
  t = await createTestEnv();
  [gwA, gwB] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  pool = createPool(t.databaseUrl, 2);
  redis = connectRedis(t.env.REDIS_URL as string);
  eventId = (await createTestEvent(gwA.url, (await loginAdmin(gwA.url)).accessToken)).id;
});
afterAll(async () => {
  await pool?.end();
  redis?.disconnect();
});

const ctx = () => ({ pool, redis, keys: createKeys(t.redisPrefix), now: () => new Date() });

describe('an admin promoted at start-up', () => {
  it('loses the refresh tokens it had as a plain user', async () => {
    const before = await registerUser(gwA.url);
    const promoted = await startGatewayProcess({ ...t.env, ADMIN_EMAIL: before.user.email, ADMIN_PASSWORD: 'promoted-pass-1' });
    const refreshed = await http(promoted.url, 'POST', '/api/auth/refresh', { body: { refreshToken: before.refreshToken } });
    expect(refreshed.status).toBe(401);
    const login = await http(promoted.url, 'POST', '/api/auth/login', {
      body: { email: before.user.email, password: 'promoted-pass-1' },
    });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('admin');
    // A restart with the same admin is not a promotion: the admin's own sessions survive it.
    await promoted.stop();
    const again = await startGatewayProcess({ ...t.env, ADMIN_EMAIL: before.user.email, ADMIN_PASSWORD: 'promoted-pass-1' });
    const kept = await http(again.url, 'POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(kept.status).toBe(200);
    await again.stop();
  });
});

describe('a live socket whose token expires', () => {
  const secret = () => t.env.JWT_ACCESS_SECRET as string;

  it('answers UNAUTHENTICATED on / once the token is past its expiry', async () => {
    const user = await registerUser(gwA.url);
    const token = signAccessToken({ userId: user.user.id, role: 'user' }, secret(), 3);
    const c = await connectClient(gwA.url, token, { reconnection: false });
    expect((await c.bookingList({})).ok).toBe(true);
    const refused = await waitUntil(
      'the expired socket to be refused',
      async () => {
        const ack = await c.bookingList({});
        return ack.ok ? null : ack;
      },
      20_000,
      250,
    );
    expect(refused.error).toMatchObject({ code: 'UNAUTHENTICATED', details: { reason: 'token_expired' } });
    // Anonymous-friendly commands too: the socket is not silently downgraded to anonymous.
    expect((await c.seatsSubscribe({ eventId })).ok).toBe(false);
  });

  it('answers UNAUTHENTICATED to queue:control on /admin once the admin token expired', async () => {
    const admin = await loginAdmin(gwA.url);
    const token = signAccessToken({ userId: admin.user.id, role: 'admin' }, secret(), 3);
    const a = await connectAdmin(gwA.url, token, { reconnection: false });
    const pause = () => a.queueControl({ eventId, action: 'resume' });
    expect((await pause()).ok).toBe(true);
    const refused = await waitUntil(
      'the expired admin socket to be refused',
      async () => {
        const ack = await pause();
        return ack.ok ? null : ack;
      },
      20_000,
      250,
    );
    expect(refused.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('endUserSessions', () => {
  it('closes an admin on every gateway, refuses its old tokens everywhere and lets it sign in again', async () => {
    const admin = await loginAdmin(gwA.url);
    const onA = await connectAdmin(gwA.url, admin.accessToken, { reconnection: false });
    const onB = await connectAdmin(gwB.url, admin.accessToken, { reconnection: false });
    const userSocket = await connectClient(gwB.url, admin.accessToken, { reconnection: false });
    expect((await onB.queueControl({ eventId, action: 'resume' })).ok).toBe(true);
    const told = new Promise((resolve) => onA.on('session:ended', resolve));
    const closed = [onA, onB, userSocket].map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));

    const result = await endUserSessions(ctx(), admin.user.id, 'role_changed');
    expect(result.revokedRefreshTokens).toBeGreaterThanOrEqual(1);
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);
    expect(await told).toEqual({ reason: 'role_changed' });

    for (const gw of [gwA, gwB]) {
      const err = await connectRefusal(createAdminClient(gw.url, admin.accessToken, { reconnection: false }));
      expect(err.data.code).toBe('UNAUTHENTICATED');
      const userErr = await connectRefusal(createClient(gw.url, admin.accessToken, { reconnection: false }));
      expect(userErr.data.code).toBe('UNAUTHENTICATED');
      const httpCall = await http(gw.url, 'GET', '/api/admin/analytics', { token: admin.accessToken });
      expect(httpCall.status).toBe(401);
    }
    const refresh = await http(gwA.url, 'POST', '/api/auth/refresh', { body: { refreshToken: admin.refreshToken } });
    expect(refresh.status).toBe(401);

    const fresh = await loginAdmin(gwB.url);
    const back = await connectAdmin(gwA.url, fresh.accessToken, { reconnection: false });
    expect((await back.queueControl({ eventId, action: 'resume' })).ok).toBe(true);
  });

  it('closes only that user: another user on the same gateway keeps being served', async () => {
    const victim = await registerUser(gwA.url);
    const bystander = await registerUser(gwA.url);
    const v = await connectClient(gwA.url, victim.accessToken, { reconnection: false });
    const b = await connectClient(gwA.url, bystander.accessToken, { reconnection: false });
    const ended = nextPush(v, 'session:ended');
    await endUserSessions(ctx(), victim.user.id, 'revoked');
    expect(await ended).toEqual({ reason: 'revoked' });
    await waitUntil('the victim socket to close', () => !v.socket.connected);
    expect((await b.bookingList({})).ok).toBe(true);
    expect(b.socket.connected).toBe(true);
  });

  it('is seen by a gateway that starts after the sessions ended', async () => {
    const user = await registerUser(gwA.url);
    await endUserSessions(ctx(), user.user.id, 'revoked');
    const late = await startGatewayProcess(t.env);
    const err = await connectRefusal(createClient(late.url, user.accessToken, { reconnection: false }));
    expect(err.data.code).toBe('UNAUTHENTICATED');
    const relogin = await http(late.url, 'POST', '/api/auth/login', {
      body: { email: user.user.email, password: 'password-123' },
    });
    expect(relogin.status).toBe(200);
    expect((await connectClient(late.url, relogin.body.accessToken)).socket.connected).toBe(true);
    await late.stop();
  });

  it('refuses an unknown user id silently (nothing to end) and a malformed one loudly', async () => {
    expect((await endUserSessions(ctx(), randomUUID(), 'revoked')).revokedRefreshTokens).toBe(0);
    await expect(endUserSessions(ctx(), 'not-a-uuid', 'revoked')).rejects.toThrow();
  });
});
