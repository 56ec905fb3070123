import { randomUUID } from 'node:crypto';
import { io as connectRaw, type Socket } from 'socket.io-client';
import { beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
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
    startGatewayProcess({
      ...t.env,
      ...unlimited,
      SOCKET_COMMANDS_PER_SECOND: '2',
      SOCKET_COMMAND_BURST: '10',
      HOLD_HEALTH_REPORT_MS: '200',
    }),
    startGatewayProcess({
      ...t.env,
      ...unlimited,
      TRUSTED_PROXIES: '127.0.0.1,::1',
      SOCKET_MAX_IN_FLIGHT: '4',
      USER_COMMANDS_PER_SECOND: '20',
      ADDRESS_COMMANDS_PER_SECOND: '30',
      MAX_SOCKETS_PER_USER: '3',
      MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: '3',
      MAX_PENDING_CONNECTIONS_PER_ADDRESS: '3',
      PENDING_CONNECTION_TIMEOUT_MS: '1500',
      MAX_WATCHED_EVENTS_PER_SOCKET: '2',
      MAX_ANONYMOUS_WATCHED_EVENTS: '3',
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

describe('frames that get no answer', () => {
  it('charges frames without an ack or with an unknown name; a flood of them disconnects its sender only', async () => {
    const flooder = socketFrom(bucketGw.url, '127.0.0.1');
    expect(await opened(flooder)).toBe('connected');
    const other = await connectClient(bucketGw.url, (await registerUser(bucketGw.url)).accessToken);
    const dropped = new Promise<string>((resolve) => flooder.once('disconnect', (reason) => resolve(reason)));
    // Burst 10 at cost 1 each: the frames past it cannot be refused by an ack, so the socket goes.
    for (let i = 0; i < 15; i++) {
      flooder.emit('no:such:command', { i });
      flooder.emit('queue:status', { eventId });
    }
    expect(await dropped).toBe('io server disconnect');
    expect((await other.send('queue:status', { eventId })).ok).toBe(true);
  });
});

describe('raw Engine.IO connections that never join a namespace', () => {
  /** An Engine.IO websocket from `address` (via the trusted proxy) that sends nothing after the handshake. */
  const rawEngine = (address: string) => {
    const ws = new WebSocket(`${capsGw.url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`, {
      headers: { 'x-forwarded-for': address },
    });
    const closed = new Promise<number>((resolve) => ws.once('close', () => resolve(Date.now())));
    ws.on('error', () => {});
    const open = new Promise<boolean>((resolve) => {
      ws.once('message', () => resolve(true));
      ws.once('close', () => resolve(false));
    });
    return { ws, open, closed };
  };

  it('counts them per address until they join (past the cap they are closed) and closes them after the timeout', async () => {
    const started = Date.now();
    const three = [1, 2, 3].map(() => rawEngine('198.51.100.90'));
    expect(await Promise.all(three.map((c) => c.open))).toEqual([true, true, true]);
    const fourth = rawEngine('198.51.100.90');
    const refusedAt = await fourth.closed;
    expect(refusedAt - started).toBeLessThan(1500);
    // Another address is not affected, and a socket that joins a namespace is counted by the namespace caps.
    const elsewhere = socketFrom(capsGw.url, '198.51.100.91');
    expect(await opened(elsewhere)).toBe('connected');
    // None of the three joined a namespace: closed after PENDING_CONNECTION_TIMEOUT_MS, and the address is free again.
    const closedAt = await Promise.all(three.map((c) => c.closed));
    for (const at of closedAt) expect(at - started).toBeLessThan(10_000);
    const again = socketFrom(capsGw.url, '198.51.100.90');
    expect(await opened(again)).toBe('connected');
    for (const s of [elsewhere, again]) s.close();
  });
});

describe('availability subscriptions', () => {
  it('bounds the events one socket watches (the oldest ends) and the distinct events anonymous sockets pin', async () => {
    const admin = await loginAdmin(capsGw.url);
    const ids = await Promise.all(
      [1, 2, 3, 4].map(
        async () =>
          (
            await createTestEvent(capsGw.url, admin.accessToken, {
              admission: OPEN_ADMISSION,
              sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }],
            })
          ).id,
      ),
    );
    const [e1, e2, e3, e4] = ids as [string, string, string, string];
    const watch = (s: Socket, id: string) => send(s, 'availability:subscribe', { eventId: id });
    const s1 = socketFrom(capsGw.url, '203.0.113.201');
    const s2 = socketFrom(capsGw.url, '203.0.113.202');
    const s3 = socketFrom(capsGw.url, '203.0.113.203');
    await Promise.all([s1, s2, s3].map(opened));
    // Two events per socket: the third subscription of s1 ends its first (e1).
    for (const id of [e1, e2, e3]) expect((await watch(s1, id)).ok).toBe(true);
    // Anonymous sockets may pin three events: e1 no longer counts (s1 left it), so e4 fits.
    expect((await watch(s2, e4)).ok).toBe(true);
    // Now e2, e3, e4 are pinned: a fourth one for an anonymous socket is refused, retryable...
    const refused = await watch(s3, e1);
    expect(refused.error).toMatchObject({ code: 'OVERLOADED', retryable: true });
    // The seat map pins an event just the same.
    const map = await send(s3, 'seats:subscribe', { eventId: e1, format: 'compact' });
    expect(map.error).toMatchObject({ code: 'OVERLOADED', retryable: true });
    // ...an event already pinned is not, and nor is a signed-in user.
    expect((await watch(s3, e2)).ok).toBe(true);
    const user = await connectClient(capsGw.url, (await registerUser(capsGw.url)).accessToken);
    expect((await user.send('availability:subscribe', { eventId: e1 })).ok).toBe(true);
    // When s1 and s2 go, their events are free again for anonymous sockets.
    s1.close();
    s2.close();
    const fits = await waitUntil(
      'room for an anonymous watcher',
      async () => {
        const a = await watch(s3, e1);
        return a.ok ? a : null;
      },
      5000,
      300,
    );
    expect(fits.ok).toBe(true);
    s3.close();
  });
});

describe('the closed loop latency signal', () => {
  it('takes no samples from refused holds (they answer in ~0 ms), only from holds that did the work', async () => {
    const probe = createQueueProbe(t.config);
    /** The most hold samples any gateway's reports show over `ms`. */
    const mostSamples = async (ms: number) => {
      let most = 0;
      for (const until = Date.now() + ms; ; await new Promise((r) => setTimeout(r, 50))) {
        for (const raw of Object.values(await probe.redis.hgetall(probe.keys.holdHealth))) {
          most = Math.max(most, (JSON.parse(raw) as { samples: number }).samples);
        }
        if (Date.now() >= until) return most;
      }
    };
    // Earlier tests' holds leave the reports' windows (3 intervals) first.
    await waitUntil('no hold samples in any report', async () => (await mostSamples(0)) === 0, 10_000, 100);
    const refuser = await connectClient(bucketGw.url, (await registerUser(bucketGw.url)).accessToken);
    const refused = (await Promise.all(
      [...Array(12).keys()].map(() =>
        refuser.send('seats:hold', {
          eventId,
          admissionToken: 'not-an-admission-token',
          idempotencyKey: randomUUID(),
          seatIds: [randomUUID()],
        }),
      ),
    )) as Ack[];
    expect(refused.every((a) => !a.ok)).toBe(true);
    expect(await mostSamples(500)).toBe(0);
    // A hold that did the work is a sample (the reports do carry them).
    const buyer = await admittedUser(bucketGw.url, eventId);
    const [seat] = await dbQuery<{ id: string }>(
      t.databaseUrl,
      "SELECT id FROM seats WHERE event_id = $1 AND status = 'available' ORDER BY id DESC LIMIT 1",
      [eventId],
    );
    const held = (await buyer.client.send('seats:hold', {
      eventId,
      admissionToken: buyer.admissionToken,
      idempotencyKey: randomUUID(),
      seatIds: [seat?.id],
    })) as Ack;
    expect(held.ok).toBe(true);
    expect(await mostSamples(500)).toBeGreaterThanOrEqual(1);
  });
});
