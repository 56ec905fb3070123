import { beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { createAdminClient, createClient } from '../../core/contract/create-client.js';
import { connectAdmin, connectClient, connectRefusal } from '../support/connect-client.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  userToken = (await registerUser(gw.url)).accessToken;
});

const someUser = '00000000-0000-4000-8000-000000000001';

describe('socket handshake', () => {
  it('lets anonymous sockets browse on /', async () => {
    const c = await connectClient(gw.url);
    expect(c.socket.connected).toBe(true);
  });

  it('refuses a bad token on / instead of silently treating it as anonymous', async () => {
    const err = await connectRefusal(createClient(gw.url, 'garbage', { reconnection: false }));
    expect(err.data.code).toBe('UNAUTHENTICATED');
  });

  it.each([
    ['no token', () => '', 'UNAUTHENTICATED'],
    ['a user token', () => userToken, 'FORBIDDEN'],
    [
      'an expired admin token',
      () => signAccessToken({ userId: someUser, role: 'admin' }, t.env.JWT_ACCESS_SECRET as string, -5),
      'UNAUTHENTICATED',
    ],
    ['a forged admin token', () => signAccessToken({ userId: someUser, role: 'admin' }, 'x'.repeat(40), 60), 'UNAUTHENTICATED'],
    [
      'a token with alg none',
      () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: someUser, role: 'admin', typ: 'access', iss: 'evently' })).toString('base64url')}.`,
      'UNAUTHENTICATED',
    ],
  ])('refuses /admin with %s', async (_name, token, code) => {
    const err = await connectRefusal(createAdminClient(gw.url, token(), { reconnection: false }));
    expect(err.data.code).toBe(code);
  });

  it('admits an admin to /admin', async () => {
    const admin = await connectAdmin(gw.url, adminToken);
    expect(admin.socket.connected).toBe(true);
  });
});

describe('hostile socket payloads', () => {
  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
    ['an array', [{ eventId: 'x' }]],
    ['a non-uuid id', { eventId: "'; DROP TABLE seats;--" }],
    ['an unknown field', { eventId: '00000000-0000-4000-8000-000000000000', extra: true }],
    // Just under the default frame cap (SOCKET_MAX_PAYLOAD_BYTES, 32 KiB): it reaches validation.
    ['a huge string', { eventId: 'e'.repeat(30_000) }],
  ])('answers VALIDATION_FAILED to %s and keeps serving', async (_name, payload) => {
    const c = await connectClient(gw.url, userToken);
    const ack = await c.send('seats:subscribe', payload);
    expect(ack).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', retryable: false } });
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
  });

  it('drops only the socket that sends more than the transport limit', async () => {
    const bully = await connectClient(gw.url, userToken, { reconnection: false });
    const gone = new Promise((resolve) => bully.socket.once('disconnect', resolve));
    bully.socket.emit('seats:subscribe', { eventId: 'x'.repeat(2_000_000) }, () => {});
    await gone;
    const bystander = await connectClient(gw.url, userToken);
    expect((await bystander.send('seats:subscribe', {})).ok).toBe(false);
  });

  it('ignores a command sent without an ack and survives unknown events and extra arguments', async () => {
    const c = await connectClient(gw.url, userToken);
    c.socket.emit('seats:subscribe', { eventId: 'not-a-uuid' });
    c.socket.emit('no:such:command', { a: 1 }, () => {});
    const extra = await new Promise((resolve) => {
      c.socket.emit('seats:subscribe', { eventId: 'x' }, 'extra', () => resolve('acked'));
      setTimeout(() => resolve('ignored'), 500);
    });
    expect(extra).toBe('ignored');
    const ack = await c.send('seats:subscribe', 7);
    expect(ack.ok).toBe(false);
    expect(c.socket.connected).toBe(true);
  });
});

describe('graceful shutdown', () => {
  it('answers every command already received before closing sockets', async () => {
    const extra = await startGatewayProcess(t.env);
    const c = await connectClient(extra.url, userToken, { reconnection: false });
    const acks = Array.from({ length: 40 }, () => c.send('booking:list', {}, { timeoutMs: 8000 }).catch((e: Error) => e));
    await acks[0];
    const exited = extra.stop();
    const results = await Promise.all(acks);
    expect(await exited).toBe(0);
    for (const r of results) {
      expect(r).not.toBeInstanceOf(Error); // no command left without its ack
      expect(r).toSatisfy((a: any) => a.ok === true || a.error?.code === 'SHUTTING_DOWN');
    }
  });

  it('exits 0 on SIGTERM, closing sockets', async () => {
    const extra = await startGatewayProcess(t.env);
    const c = await connectClient(extra.url, userToken, { reconnection: false });
    const disconnected = new Promise((resolve) => c.socket.once('disconnect', resolve));
    expect(await extra.stop()).toBe(0);
    await disconnected;
  });
});
