import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalyticsSnapshot } from '../../core/contract/commands.js';
import type { EventlyAdminClient, EventlyClient } from '../../core/contract/create-client.js';
import type { AnalyticsReport, EventDetail } from '../../core/contract/http.js';
import type { PushName, PushPayload } from '../../core/contract/pushes.js';
import { type AdmittedUser, admit, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { collectPushes, connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Issue 5: three gateway processes and two worker processes on one Redis (sharded adapter) and
 * one Postgres. Pushes cross instances; the admin stream is computed by one worker per interval.
 */
const INTERVAL_MS = 400;

let gw: StartedProcess[];
let workerMetricsPorts: number[];
let databaseUrl: string;
let adminToken: string;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  const t = await createTestEnv({
    ANALYTICS_INTERVAL_MS: String(INTERVAL_MS),
    HOLD_SWEEP_CRON: '*/1 * * * * *',
    WAITLIST_OFFER_TTL_SECONDS: '30',
  });
  databaseUrl = t.databaseUrl;
  gw = [];
  // One at a time: each runs migrations under the advisory lock anyway, and 2 cores are shared.
  for (let i = 1; i <= 3; i++) gw.push(await startGatewayProcess({ ...t.env, INSTANCE_ID: `gw${i}` }));
  workerMetricsPorts = [await freePort(), await freePort()];
  await Promise.all(
    workerMetricsPorts.map((port, i) =>
      startWorkerProcess({ ...t.env, INSTANCE_ID: `worker${i + 1}`, WORKER_METRICS_PORT: String(port) }),
    ),
  );
  adminToken = (await loginAdmin(gw[0]!.url)).accessToken;
}, 120_000);

const url = (i: number) => (gw[i - 1] as StartedProcess).url;

async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  return createTestEvent(url(1), adminToken, { admission: OPEN_ADMISSION, holdTtlSeconds: 3600, ...overrides });
}

const seatIdsOf = (eventId: string) => seatIdsInOrder(databaseUrl, eventId);

async function holdSeats(u: AdmittedUser, eventId: string, extra: Record<string, unknown>) {
  const r = await u.client.send('seats:hold', {
    eventId,
    admissionToken: u.admissionToken,
    idempotencyKey: randomUUID(),
    ...extra,
  });
  if (!r.ok) throw new Error(`hold failed: ${JSON.stringify(r.error)}`);
  return r.data as { holdId: string; seats: { id: string }[]; totalCents: number };
}

/** Every `analytics:update` an admin socket receives, with the local time it arrived. */
function recordUpdates(admin: EventlyAdminClient) {
  const items: { at: number; snapshot: AnalyticsSnapshot }[] = [];
  admin.on('analytics:update', (snapshot) => items.push({ at: Date.now(), snapshot }));
  return items;
}

/** Pushes of one kind on several sockets, to check who got what at the end. */
function recordAll<K extends PushName>(clients: EventlyClient[], name: K): PushPayload<K>[][] {
  return clients.map((c) => collectPushes(c, name).items);
}

describe('fan-out across gateway instances', () => {
  it('a hold through instance 1 reaches seat-map subscribers on 2 and 3 and the admin stream on 3 at its next tick', async () => {
    const ev = await newEvent();
    const seats = await seatIdsOf(ev.id);
    const [w2, w3] = await Promise.all([connectClient(url(2)), connectClient(url(3))]);
    for (const w of [w2, w3]) expect((await w.seatsSubscribe({ eventId: ev.id })).ok).toBe(true);
    const admin = await connectAdmin(url(3), adminToken);
    const updates = recordUpdates(admin);
    const first = await admin.analyticsSubscribe({ eventId: ev.id });
    expect(first.ok).toBe(true);

    const u = await admittedUser(url(1), ev.id);
    const isOurHold = (p: PushPayload<'seats:changed'>) => p.changes.some((c) => c.seatId === seats[0] && c.status === 'held');
    const pushes = [nextPush(w2, 'seats:changed', isOurHold), nextPush(w3, 'seats:changed', isOurHold)];
    const held = await holdSeats(u, ev.id, { seatIds: [seats[0], seats[1]] });
    const ackedAt = Date.now();
    for (const p of await Promise.all(pushes)) {
      expect(p.eventId).toBe(ev.id);
      expect(
        p.changes
          .filter((c) => c.status === 'held')
          .map((c) => c.seatId)
          .sort(),
      ).toEqual([seats[0], seats[1]].sort());
    }

    // The hold committed before its ack, so every tick stamped after the ack counts it: the very
    // next update (one interval; two if a tick was already under way) shows it.
    await waitUntil('an update stamped after the hold', () => updates.some((x) => Date.parse(x.snapshot.at) > ackedAt));
    const after = updates.filter((x) => Date.parse(x.snapshot.at) > ackedAt);
    expect(after[0]?.snapshot).toMatchObject({ eventId: ev.id, capacity: 20, held: 2, available: 18, sold: 0 });

    // Rates come from the audit roll-up: the hold shows up as a hold per minute.
    await waitUntil('holdsPerMinute to count the hold', () => updates.some((x) => x.snapshot.holdsPerMinute >= 1));

    // A late subscriber is answered from the stored snapshot, without computing anything.
    const late = await connectAdmin(url(2), adminToken);
    const snap = await late.analyticsSubscribe({ eventId: ev.id });
    expect(snap.ok && snap.data).toMatchObject({ eventId: ev.id, held: 2 });
    expect((await u.client.holdRelease({ holdId: held.holdId })).ok).toBe(true);
  });

  it('the system-wide stream reports connections per gateway instance and every event', async () => {
    const admin = await connectAdmin(url(2), adminToken);
    const updates = recordUpdates(admin);
    expect((await admin.analyticsSubscribe({})).ok).toBe(true);
    const update = await waitUntil('an update counting all three gateways', () =>
      updates.find((x) => Object.keys(x.snapshot.connectionsByInstance ?? {}).length === 3),
    );
    expect(Object.keys(update.snapshot.connectionsByInstance ?? {}).sort()).toEqual(['gw1', 'gw2', 'gw3']);
    expect(update.snapshot.connections).toBeGreaterThanOrEqual(1);
    expect(update.snapshot.eventId).toBeUndefined();
    const [total] = await dbQuery<{ capacity: number }>(databaseUrl, 'SELECT sum(capacity)::int AS capacity FROM events');
    expect(update.snapshot.capacity).toBe(total?.capacity);
    expect((await admin.analyticsUnsubscribe({})).ok).toBe(true);
    expect((await admin.analyticsSubscribe({ eventId: randomUUID() })).ok).toBe(false);
  });

  it('per-user pushes reach every socket of their user on any instance and nobody else', async () => {
    const [alice, bob] = await Promise.all([registerUser(url(1)), registerUser(url(2))]);
    const alice1 = await connectClient(url(1), alice.accessToken);
    const alice3 = await connectClient(url(3), alice.accessToken);
    const bob2 = await connectClient(url(2), bob.accessToken);
    const bystander = await connectClient(url(3), (await registerUser(url(3))).accessToken);
    // queue:admitted: a pre-queue opens in a few seconds; the admission worker admits both users.
    const ev = await newEvent({
      saleStartsAt: new Date(Date.now() + 4000).toISOString(),
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 3 }],
      holdTtlSeconds: 5,
    });
    const everyone = [alice1, alice3, bob2, bystander];
    const admitted = recordAll(everyone, 'queue:admitted');
    const expired = recordAll(everyone, 'hold:expired');
    const offers = recordAll(everyone, 'waitlist:offer');

    const aliceBoth = [nextPush(alice1, 'queue:admitted'), nextPush(alice3, 'queue:admitted')];
    const bobOne = nextPush(bob2, 'queue:admitted');
    for (const [c] of [[alice1], [bob2]] as const) {
      const j = await c.queueJoin({ eventId: ev.id });
      expect(j.ok && j.data.state).toBe('waiting');
    }
    const [a1, a3] = await Promise.all(aliceBoth);
    const b = await bobOne;
    expect(a1).toEqual(a3);
    expect(b.admissionToken).not.toBe(a1?.admissionToken);

    // hold:expired: each user's own hold, on each of their sockets.
    const seats = await seatIdsOf(ev.id);
    const A: AdmittedUser = {
      userId: alice.user.id,
      accessToken: alice.accessToken,
      client: alice1,
      admissionToken: a1!.admissionToken,
    };
    const B: AdmittedUser = { userId: bob.user.id, accessToken: bob.accessToken, client: bob2, admissionToken: b.admissionToken };
    const aliceHold = await holdSeats(A, ev.id, { seatIds: [seats[0]] });
    const bobHold = await holdSeats(B, ev.id, { seatIds: [seats[1], seats[2]] });
    await Promise.all([
      nextPush(alice1, 'hold:expired', (p) => p.holdId === aliceHold.holdId, 30_000),
      nextPush(alice3, 'hold:expired', (p) => p.holdId === aliceHold.holdId, 30_000),
      nextPush(bob2, 'hold:expired', (p) => p.holdId === bobHold.holdId, 30_000),
    ]);

    // waitlist:offer: Bob takes every seat again, Alice waits on gateway 1 and 3, Bob lets go.
    const B2 = { ...B, admissionToken: await admit(bob2, ev.id) };
    const again = await holdSeats(B2, ev.id, { seatIds: seats });
    expect((await alice3.waitlistJoin({ eventId: ev.id, quantity: 1 })).ok).toBe(true);
    const aliceOffers = [
      nextPush(alice1, 'waitlist:offer', undefined, 30_000),
      nextPush(alice3, 'waitlist:offer', undefined, 30_000),
    ];
    expect((await bob2.holdRelease({ holdId: again.holdId })).ok).toBe(true);
    const [o1, o3] = await Promise.all(aliceOffers);
    expect(o1).toEqual(o3);
    const [offeredTo] = await dbQuery<{ user_id: string }>(databaseUrl, 'SELECT user_id FROM holds WHERE id = $1', [o1!.holdId]);
    expect(offeredTo?.user_id).toBe(alice.user.id);

    // Nobody heard anyone else's push (checked after every expected push has arrived).
    expect(admitted[2]!.every((p) => p.admissionToken === b.admissionToken)).toBe(true);
    expect([...admitted[0]!, ...admitted[1]!].every((p) => p.admissionToken === a1!.admissionToken)).toBe(true);
    expect(expired[0]!.map((p) => p.holdId)).toEqual([aliceHold.holdId]);
    expect(expired[1]!.map((p) => p.holdId)).toEqual([aliceHold.holdId]);
    expect(expired[2]!.map((p) => p.holdId)).toEqual([bobHold.holdId]);
    expect(offers[2]).toEqual([]);
    expect([admitted[3], expired[3], offers[3]]).toEqual([[], [], []]);
    await checkInvariants(databaseUrl);
  });
});

describe('admin surface', () => {
  it('refuses the analytics report to anonymous callers and users, and bad ranges', async () => {
    const user = await registerUser(url(1));
    expect((await http(url(1), 'GET', '/api/admin/analytics')).status).toBe(401);
    expect((await http(url(1), 'GET', '/api/admin/analytics', { token: user.accessToken })).status).toBe(403);
    const bad = [
      '?from=yesterday',
      '?eventId=not-a-uuid',
      '?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z',
      '?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z',
      '?extra=1',
    ];
    for (const q of bad) {
      const r = await http(url(1), 'GET', `/api/admin/analytics${q}`, { token: adminToken });
      expect([q, r.status, r.body.error.code]).toEqual([q, 400, 'VALIDATION_FAILED']);
    }
    const missing = await http(url(1), 'GET', `/api/admin/analytics?eventId=${randomUUID()}`, { token: adminToken });
    expect(missing.status).toBe(404);
  });

  it('serves Prometheus metrics on every gateway and worker, fed by what happened above', async () => {
    // Sum of the samples of one metric whose labels contain `labels` (0 when there are none).
    const sum = (text: string, name: string, labels = '') =>
      text
        .split('\n')
        .filter((l) => l.startsWith(`${name}{`) && l.slice(0, l.indexOf('}')).includes(labels))
        .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    const gateway = (await http<string>(url(1), 'GET', '/metrics', { headers: metricsAuth })).body;
    expect(sum(gateway, 'evently_socket_connections', 'namespace="/"')).toBeGreaterThan(0);
    expect(sum(gateway, 'evently_commands_total', 'command="seats:hold",outcome="ok"')).toBeGreaterThan(0);
    expect(sum(gateway, 'evently_ack_latency_seconds_count', 'command="seats:hold"')).toBeGreaterThan(0);
    expect(sum(gateway, 'evently_fanout_lag_seconds_count')).toBeGreaterThan(0);
    expect(sum(gateway, 'evently_holds_total')).toBeGreaterThan(0);
    expect(sum(gateway, 'evently_http_request_seconds_count', 'route="/api/admin/events"')).toBeGreaterThan(0);
    // Workers: the admission ticks and the hold expiries of the per-user test ran on them.
    const workers = (
      await Promise.all(
        workerMetricsPorts.map(async (p) => (await fetch(`http://127.0.0.1:${p}/metrics`, { headers: metricsAuth })).text()),
      )
    ).join('\n');
    expect(sum(workers, 'evently_admissions_total')).toBeGreaterThan(0);
    expect(workers).toMatch(/^evently_queue_waiting\{/m);
    expect(sum(workers, 'evently_fanout_lag_seconds_count')).toBeGreaterThan(0);
    expect(sum(workers, 'evently_analytics_tick_seconds_count')).toBeGreaterThan(0);
    expect(sum(workers, 'evently_analytics_rolled_up_total')).toBeGreaterThan(0);
    expect(sum(workers, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });
});

describe('analytics agree with Postgres', () => {
  it('after a mixed workload on all three gateways', async () => {
    // Ends in a settled state: every seat held or sold, one waitlist entry that cannot be offered.
    const ev = await newEvent({ sections: [{ name: 'A', priceCents: 2500, rows: 2, seatsPerRow: 5 }], maxSeatsPerUser: 10 });
    const seats = await seatIdsOf(ev.id);
    const users = await Promise.all([1, 2, 3, 1, 2].map((i) => admittedUser(url(i), ev.id)));
    const [u1, u2, u3, u4, u5] = users as [AdmittedUser, AdmittedUser, AdmittedUser, AdmittedUser, AdmittedUser];
    const confirm = async (u: AdmittedUser, holdId: string) => {
      const r = await u.client.holdConfirm({ holdId, idempotencyKey: randomUUID(), payment: { method: 'mock' } });
      if (!r.ok) throw new Error(JSON.stringify(r.error));
      return r.data;
    };
    const h1 = await holdSeats(u1, ev.id, { seatIds: seats.slice(0, 2) });
    const h2 = await holdSeats(u2, ev.id, { quantity: 3 });
    // Best available may start anywhere among the free seats (it spreads racing buyers apart):
    // take a seat it left free.
    const taken = new Set([...h1.seats, ...h2.seats].map((x) => x.id));
    const h3 = await holdSeats(u3, ev.id, { seatIds: [seats.filter((id) => !taken.has(id)).at(-1) as string] });
    const b1 = await confirm(u1, h1.holdId);
    await confirm(u2, h2.holdId);
    expect((await u3.client.holdRelease({ holdId: h3.holdId })).ok).toBe(true);
    expect((await u1.client.bookingCancel({ bookingId: b1.bookingId })).ok).toBe(true);
    const h4 = await holdSeats(u4, ev.id, { quantity: 7 });
    const declined = await u4.client.holdConfirm({
      holdId: h4.holdId,
      idempotencyKey: randomUUID(),
      payment: { method: 'mock', outcome: 'decline' },
    });
    expect(declined.ok === false && declined.error.code).toBe('PAYMENT_DECLINED');
    expect((await u5.client.waitlistJoin({ eventId: ev.id, quantity: 2 })).ok).toBe(true);

    const admin = await connectAdmin(url(3), adminToken);
    const updates = recordUpdates(admin);
    expect((await admin.analyticsSubscribe({ eventId: ev.id })).ok).toBe(true);
    const q = async <T>(sql: string) => (await dbQuery<T>(databaseUrl, sql, [ev.id]))[0] as T;
    const counts = await q<{
      holds: number;
      heldSeats: number;
      bookings: number;
      cancelled: number;
      gross: number;
      refunds: number;
    }>(
      `SELECT (SELECT count(*)::int FROM holds WHERE event_id = $1) AS holds,
              (SELECT sum(seat_count)::int FROM holds WHERE event_id = $1) AS "heldSeats",
              (SELECT count(*)::int FROM bookings WHERE event_id = $1) AS bookings,
              (SELECT count(*)::int FROM bookings WHERE event_id = $1 AND status = 'cancelled') AS cancelled,
              (SELECT coalesce(sum(total_cents), 0)::int FROM bookings WHERE event_id = $1) AS gross,
              (SELECT coalesce(sum(refund_cents), 0)::int FROM bookings WHERE event_id = $1) AS refunds`,
    );
    expect(counts).toMatchObject({ holds: 4, heldSeats: 13, bookings: 2, cancelled: 1, gross: 12_500, refunds: 5000 });
    const seatCounts = await q<{ available: number; held: number; sold: number; entries: number; wanted: number }>(
      `SELECT count(*) FILTER (WHERE status = 'available')::int AS available, count(*) FILTER (WHERE status = 'held')::int AS held,
              count(*) FILTER (WHERE status = 'sold')::int AS sold,
              (SELECT count(*)::int FROM waitlist_entries WHERE event_id = $1 AND status = 'waiting') AS entries,
              (SELECT coalesce(sum(quantity), 0)::int FROM waitlist_entries WHERE event_id = $1 AND status = 'waiting') AS wanted
         FROM seats WHERE event_id = $1`,
    );
    expect(seatCounts).toEqual({ available: 0, held: 7, sold: 3, entries: 1, wanted: 2 });

    // The roll-up follows the audit log of finished transactions: wait for it to catch up once.
    const report = await waitUntil('the report to count the whole workload', async () => {
      const r = await http<AnalyticsReport>(url(2), 'GET', `/api/admin/analytics?eventId=${ev.id}`, { token: adminToken });
      return r.status === 200 && r.body.holds === counts.holds && r.body.cancellations === counts.cancelled ? r.body : null;
    });
    expect(report).toMatchObject({
      eventId: ev.id,
      holds: counts.holds,
      heldSeats: counts.heldSeats,
      releases: 1,
      bookings: counts.bookings,
      cancellations: counts.cancelled,
      grossRevenueCents: counts.gross,
      refundCents: counts.refunds,
      revenueCents: counts.gross - counts.refunds,
      conversionRate: counts.bookings / counts.holds,
      cancellationRate: counts.cancelled / counts.bookings,
    });
    const today = new Date().toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const days = report.daily.filter((d) => d.day === today || d.day === yesterday); // a run across midnight
    expect(days.reduce((n, d) => n + d.bookings, 0)).toBe(counts.bookings);
    expect(days.reduce((n, d) => n + d.revenueCents, 0)).toBe(counts.gross - counts.refunds);
    expect(report.events).toEqual([
      expect.objectContaining({
        eventId: ev.id,
        name: ev.name,
        bookings: counts.bookings,
        revenueCents: counts.gross - counts.refunds,
      }),
    ]);

    // A tick stamps its snapshot after its roll-up, which may have begun before the last of the
    // workload was visible to it: only a snapshot stamped after the report above counted the whole
    // workload reads a roll-up that has all of it.
    const caughtUpAt = Date.now();
    const live = await waitUntil('a live update after the workload with the roll-up caught up', () =>
      updates.find((x) => Date.parse(x.snapshot.at) > caughtUpAt && x.snapshot.cancellationRate > 0),
    );
    expect(live.snapshot).toMatchObject({
      eventId: ev.id,
      capacity: 10,
      available: seatCounts.available,
      held: seatCounts.held,
      sold: seatCounts.sold,
      revenueCents: counts.gross - counts.refunds,
      conversionRate: report.conversionRate,
      cancellationRate: report.cancellationRate,
      waitlist: { entries: seatCounts.entries, seats: seatCounts.wanted },
    });
    expect(live.snapshot.topEvents.find((e) => e.eventId === ev.id)).toEqual({
      eventId: ev.id,
      name: ev.name,
      sold: seatCounts.sold,
      revenueCents: counts.gross - counts.refunds,
    });
    await checkInvariants(databaseUrl);
  });
});

describe('losing a gateway', () => {
  it('moves its clients to the others, which resync the seat map and get only their own pushes', async () => {
    const map = await newEvent();
    const shortHolds = await newEvent({ holdTtlSeconds: 5 });
    const seats = await seatIdsOf(map.id);
    const shortSeats = await seatIdsOf(shortHolds.id);
    const watcher = await connectClient(url(3), undefined, { reconnection: false });
    expect((await watcher.seatsSubscribe({ eventId: map.id })).ok).toBe(true);
    const owner = await admittedUser(url(3), map.id);
    const other = await admittedUser(url(1), map.id);
    await holdSeats(owner, map.id, { seatIds: [seats[0]] });

    // Each client does what a real one does when its gateway dies: connect to another URL.
    const moved = (c: EventlyClient, token: string | undefined, to: string) =>
      new Promise<EventlyClient>((resolve) => c.socket.once('disconnect', () => resolve(connectClient(to, token))));
    const watcherMoved = moved(watcher, undefined, url(1));
    const ownerMoved = moved(owner.client, owner.accessToken, url(2));
    await (gw[2] as StartedProcess).kill();
    const w = await watcherMoved;
    const o = await ownerMoved;

    // A change made while they were away reaches them through the resync, versions included.
    const theirs = await holdSeats(other, map.id, { seatIds: [seats[5]] });
    const resync = await w.seatsSubscribe({ eventId: map.id });
    if (!resync.ok) throw new Error(JSON.stringify(resync.error));
    const byId = new Map(resync.data.seats.map((s) => [s.id, s]));
    expect(byId.get(seats[0] as string)).toMatchObject({ status: 'held', version: 1 });
    expect(byId.get(seats[5] as string)).toMatchObject({ status: 'held', version: 1 });
    // ...and later changes come as pushes through the new gateway.
    const next = nextPush(w, 'seats:changed', (p) => p.changes.some((c) => c.seatId === seats[5] && c.version === 2));
    expect((await other.client.holdRelease({ holdId: theirs.holdId })).ok).toBe(true);
    await next;

    // Per-user pushes follow the user to the new gateway and nobody else hears them.
    const ownerOnNew: AdmittedUser = { ...owner, client: o, admissionToken: await admit(o, shortHolds.id) };
    const otherShort: AdmittedUser = { ...other, admissionToken: await admit(other.client, shortHolds.id) };
    const ownerExpired = collectPushes(o, 'hold:expired');
    const otherExpired = collectPushes(other.client, 'hold:expired');
    const a = await holdSeats(ownerOnNew, shortHolds.id, { seatIds: [shortSeats[0]] });
    const b = await holdSeats(otherShort, shortHolds.id, { seatIds: [shortSeats[1]] });
    await Promise.all([
      nextPush(o, 'hold:expired', (p) => p.holdId === a.holdId, 30_000),
      nextPush(other.client, 'hold:expired', (p) => p.holdId === b.holdId, 30_000),
    ]);
    expect(ownerExpired.items.map((p) => p.holdId)).toEqual([a.holdId]);
    expect(otherExpired.items.map((p) => p.holdId)).toEqual([b.holdId]);

    // The dead instance stops counting once its heartbeat is stale.
    const admin = await connectAdmin(url(1), adminToken);
    const updates = recordUpdates(admin);
    expect((await admin.analyticsSubscribe({})).ok).toBe(true);
    const after = await waitUntil('connections without the killed gateway', () =>
      updates.find((x) => x.snapshot.connectionsByInstance && !('gw3' in x.snapshot.connectionsByInstance)),
    );
    expect(Object.keys(after.snapshot.connectionsByInstance ?? {}).sort()).toEqual(['gw1', 'gw2']);
    await checkInvariants(databaseUrl);
  });
});
