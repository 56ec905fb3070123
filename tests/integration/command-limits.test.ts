import { randomUUID } from 'node:crypto';
import { io as connectRaw, type Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
/** Small per-socket buckets, nothing else limited. */
let bucketGw: StartedProcess;
/** In-flight cap, per-user and per-address limits, connection caps; trusts 127.0.0.1 as a proxy. */
let capsGw: StartedProcess;
let eventId: string;

const unlimited = {
  SOCKET_COMMANDS_PER_SECOND: '1000',
  SOCKET_COMMAND_BURST: '1000',
  SOCKET_MAX_IN_FLIGHT: '1000',
  USER_COMMANDS_PER_SECOND: '0',
  ADDRESS_COMMANDS_PER_SECOND: '0',
};

beforeAll(async () => {
  t = await createTestEnv();
  [bucketGw, capsGw] = await Promise.all([
    startGatewayProcess({ ...t.env, ...unlimited, SOCKET_COMMANDS_PER_SECOND: '2', SOCKET_COMMAND_BURST: '10' }),
    startGatewayProcess({
      ...t.env,
      ...unlimited,
      TRUSTED_PROXIES: '127.0.0.1,::1',
      SOCKET_MAX_IN_FLIGHT: '4',
      USER_COMMANDS_PER_SECOND: '20',
      ADDRESS_COMMANDS_PER_SECOND: '30',
      MAX_SOCKETS_PER_USER: '3',
      MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: '3',
    }),
  ]);
  const admin = await loginAdmin(bucketGw.url);
  eventId = (
    await createTestEvent(bucketGw.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      maxSeatsPerUser: 100,
      sections: [{ name: 'A', priceCents: 1000, rows: 6, seatsPerRow: 10 }],
    })
  ).id;
});

type Ack = { ok: boolean; error?: { code: string; message: string; retryable: boolean; details?: { retryAfterMs?: number } } };

/** A raw socket from a client address the trusted proxy (127.0.0.1) forwards. */
function socketFrom(url: string, address: string, token?: string): Socket {
  return connectRaw(url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    auth: token ? { token } : {},
    extraHeaders: { 'x-forwarded-for': address },
  });
}
const opened = (s: Socket) =>
  new Promise<unknown>((resolve) => {
    s.once('connect', () => resolve('connected'));
    s.once('connect_error', (err: Error & { data?: unknown }) => resolve(err.data));
  });
const send = (s: Socket, name: string, payload: unknown) => s.timeout(15_000).emitWithAck(name, payload) as Promise<Ack>;

/** 40 commands in a row on each loud socket while the quiet one sends 10, all at once. */
async function hammer(loud: Socket[], quiet: Socket, command: string): Promise<{ loud: Ack[]; quiet: Ack[] }> {
  const inRow = async (s: Socket, n: number) => {
    const acks: Ack[] = [];
    for (let i = 0; i < n; i++) acks.push(await send(s, command, { eventId }));
    return acks;
  };
  const [quietAcks, ...loudAcks] = await Promise.all([inRow(quiet, 10), ...loud.map((s) => inRow(s, 40))]);
  return { loud: loudAcks.flat(), quiet: quietAcks as Ack[] };
}

describe('per-socket token bucket', () => {
  it('answers a seats:subscribe loop with RATE_LIMITED and retryAfterMs while another user is served', async () => {
    const looper = await connectClient(bucketGw.url, (await registerUser(bucketGw.url)).accessToken);
    const other = await connectClient(bucketGw.url, (await registerUser(bucketGw.url)).accessToken);
    const acks: Ack[] = [];
    for (let i = 0; i < 8; i++) acks.push((await looper.send('seats:subscribe', { eventId })) as Ack);
    expect(acks.slice(0, 2).every((a) => a.ok)).toBe(true); // burst 10, cost 5
    const limited = acks.filter((a) => a.error?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(5);
    expect(limited[0]?.error).toMatchObject({ retryable: true });
    expect(limited[0]?.error?.details?.retryAfterMs).toBeGreaterThan(0);
    // The other user's socket has its own bucket.
    expect((await other.send('seats:subscribe', { eventId })).ok).toBe(true);
    // After the advertised wait the looper is served again.
    await new Promise((r) => setTimeout(r, (limited.at(-1)?.error?.details?.retryAfterMs ?? 0) + 50));
    expect((await looper.send('seats:unsubscribe', { eventId })).ok).toBe(true);
  });

  it('answers a waitlist:join/leave loop with RATE_LIMITED, and bad payloads cost too', async () => {
    const c = await connectClient(bucketGw.url, (await registerUser(bucketGw.url)).accessToken);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const join = (await c.send('waitlist:join', { eventId, quantity: 1 })) as Ack;
      const leave = (await c.send('waitlist:leave', { eventId })) as Ack;
      codes.push(join.ok ? 'ok' : (join.error?.code as string), leave.ok ? 'ok' : (leave.error?.code as string));
    }
    expect(codes.filter((code) => code === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5);
    const g = await connectClient(bucketGw.url);
    const garbage: string[] = [];
    for (let i = 0; i < 10; i++) garbage.push(((await g.send('seats:hold', 'garbage')) as Ack).error?.code as string);
    expect(garbage.slice(0, 5).every((code) => code === 'VALIDATION_FAILED')).toBe(true); // burst 10, cost 2
    expect(garbage.slice(5)).toContain('RATE_LIMITED');
  });
});

describe('in-flight cap, per-user and per-address limits', () => {
  it('refuses parallel holds from one socket past the in-flight cap and changes nothing for them', async () => {
    const buyer = await admittedUser(capsGw.url, eventId);
    const seats = await dbQuery<{ id: string }>(
      t.databaseUrl,
      "SELECT id FROM seats WHERE event_id = $1 AND status = 'available' ORDER BY id LIMIT 50",
      [eventId],
    );
    const acks = (await Promise.all(
      seats.map((s) =>
        buyer.client.send('seats:hold', {
          eventId,
          admissionToken: buyer.admissionToken,
          idempotencyKey: randomUUID(),
          seatIds: [s.id],
        }),
      ),
    )) as Ack[];
    const ok = acks.filter((a) => a.ok).length;
    const limited = acks.filter((a) => a.error?.code === 'RATE_LIMITED').length;
    expect(ok + limited).toBe(50);
    expect(limited).toBeGreaterThanOrEqual(40);
    const held = await dbQuery<{ n: number }>(
      t.databaseUrl,
      "SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'held'",
      [eventId],
    );
    expect(held[0]?.n).toBe(ok);
  });

  it('limits one user across sockets in Redis while another user keeps being served', async () => {
    const greedy = await registerUser(capsGw.url);
    const calm = await registerUser(capsGw.url);
    // Each socket from its own address: only the per-user allowance is shared.
    const sockets = [1, 2, 3].map((i) => socketFrom(capsGw.url, `192.0.2.${i}`, greedy.accessToken));
    const bystander = socketFrom(capsGw.url, '192.0.2.9', calm.accessToken);
    expect(await Promise.all([...sockets, bystander].map(opened))).toEqual(['connected', 'connected', 'connected', 'connected']);
    const { loud: greedyAcks, quiet: bystanderAcks } = await hammer(sockets, bystander, 'queue:status');
    const refusals = greedyAcks.filter((a) => a.error?.code === 'RATE_LIMITED');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]?.error?.message).toContain('user');
    expect(bystanderAcks.every((a) => a.ok)).toBe(true);
    for (const s of [...sockets, bystander]) s.close();
  });

  it('limits one address across its sockets while another address keeps being served', async () => {
    const noisy = await Promise.all([1, 2, 3].map(() => socketFrom(capsGw.url, '203.0.113.5')));
    const quiet = socketFrom(capsGw.url, '203.0.113.6');
    expect(await Promise.all([...noisy, quiet].map(opened))).toEqual(['connected', 'connected', 'connected', 'connected']);
    const { loud: noisyAcks, quiet: quietAcks } = await hammer(noisy, quiet, 'seats:unsubscribe');
    const refusals = noisyAcks.filter((a) => a.error?.code === 'RATE_LIMITED');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals[0]?.error?.message).toContain('address');
    expect(quietAcks.every((a) => a.ok)).toBe(true);
    for (const s of [...noisy, quiet]) s.close();
  });
});

describe('connection caps', () => {
  it('refuses a fourth socket of one user until one of the three closes', async () => {
    const u = await registerUser(capsGw.url);
    const three = await Promise.all([1, 2, 3].map(() => connectClient(capsGw.url, u.accessToken, { reconnection: false })));
    const fourth = socketFrom(capsGw.url, '203.0.113.50', u.accessToken);
    expect(await opened(fourth)).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    three[0]?.close();
    const retried = await waitUntil('a slot to free up', async () => {
      const s = socketFrom(capsGw.url, '203.0.113.50', u.accessToken);
      if ((await opened(s)) === 'connected') return s;
      s.close();
      return null;
    });
    expect(retried.connected).toBe(true);
    retried.close();
  });

  it('refuses a fourth anonymous socket from one address, not from another', async () => {
    const three = [1, 2, 3].map(() => socketFrom(capsGw.url, '198.51.100.77'));
    expect(await Promise.all(three.map(opened))).toEqual(['connected', 'connected', 'connected']);
    expect(await opened(socketFrom(capsGw.url, '198.51.100.77'))).toMatchObject({ code: 'RATE_LIMITED' });
    const elsewhere = socketFrom(capsGw.url, '198.51.100.78');
    expect(await opened(elsewhere)).toBe('connected');
    // A signed-in user behind the same address is not an anonymous socket.
    const user = await registerUser(capsGw.url);
    expect(await opened(socketFrom(capsGw.url, '198.51.100.77', user.accessToken))).toBe('connected');
    for (const s of [...three, elsewhere]) s.close();
  });
});
