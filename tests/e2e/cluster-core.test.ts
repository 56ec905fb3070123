import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { createPool } from '../../core/db/pool.js';
import { isRedisCluster } from '../../core/redis/connect-redis.js';
import {
  decodeSessionRecord,
  endAdmissionSession,
  verifyAdmission,
} from '../../core/use-cases/waiting-room/admission-session.js';
import { joinQueue } from '../../core/use-cases/waiting-room/join-queue.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { admitRacers, expectEverySeatWonOnce, raceForSeats } from '../support/racers.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * The e2e core (seat race, fan-out across instances, waiting-room order) on a local 3-master
 * Redis Cluster: every Redis use (adapter, emitter, BullMQ, Redlock, rate limits, Lua scripts)
 * must work where keys live on different nodes. A focused subset of the single-Redis suite, at
 * smaller sizes: the engine is what is under test here, not the scale.
 */
let t: TestEnv;
let gateways: StartedProcess[];
let workers: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  const cluster = await startRedisCluster(3);
  t = await createTestEnv({
    REDIS_URL: '',
    REDIS_CLUSTER_NODES: cluster.nodes,
    QUEUE_POSITION_PUSH_MS: '200',
    ADMISSION_RECONCILE_MS: '200',
    PG_POOL_SIZE: '15',
  });
  // Generous start-up budgets: five processes start at once next to other test files.
  const started = await Promise.all([
    startWorkerProcess(t.env, 90_000),
    startWorkerProcess(t.env, 90_000),
    startGatewayProcess(t.env, 90_000),
    startGatewayProcess(t.env, 90_000),
    startGatewayProcess(t.env, 90_000),
  ]);
  workers = started.slice(0, 2);
  gateways = started.slice(2);
  adminToken = (await loginAdmin(gateways[0]!.url)).accessToken;
}, 180_000);
afterAll(async () => {
  await Promise.all([...(workers ?? []), ...(gateways ?? [])].map((p) => p.stop()));
});

const urls = () => gateways.map((g) => g.url);

describe('on a 3-master Redis Cluster', () => {
  it('runs against the cluster (the config took REDIS_CLUSTER_NODES)', async () => {
    expect(t.config.redis.kind).toBe('cluster');
    const probe = createQueueProbe(t.config);
    expect(isRedisCluster(probe.redis)).toBe(true);
    // Keys of different events land on different masters: the scenarios below cross slots.
    const slots = new Set<number>();
    for (let i = 0; i < 20; i++) slots.add(Number(await probe.redis.call('CLUSTER', 'KEYSLOT', probe.keys.queue(randomUUID()))));
    expect(slots.size).toBeGreaterThan(1);
  });

  it('300 racers for 100 seats on two gateways: each seat to exactly one hold', async () => {
    const SEATS = 100;
    const ev = await createTestEvent(gateways[0]!.url, adminToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'Floor', priceCents: 2500, rows: 5, seatsPerRow: 20 }],
    });
    const seatIds = (await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1', [ev.id])).map(
      (r) => r.id,
    );
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls().slice(0, 2), ev.id, 300);
    const outcomes = await Promise.all(racers.map((r, i) => raceForSeats(r, ev.id, seatIds, i % 5 < 3)));
    for (const r of racers) r.client.close();
    expectEverySeatWonOnce(outcomes, SEATS);
    await checkInvariants(t.databaseUrl);
  }, 120_000);

  it('fan-out: a hold on one gateway reaches subscribers on the others; worker pushes reach every socket of a user', async () => {
    const ev = await createTestEvent(gateways[0]!.url, adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    const watchers = await Promise.all([1, 2].map((i) => connectClient(gateways[i]!.url)));
    for (const w of watchers) expect((await w.seatsSubscribe({ eventId: ev.id })).ok).toBe(true);
    const changed = watchers.map((w) => nextPush(w, 'seats:changed', (p) => p.eventId === ev.id, 20_000));
    const buyer = await admittedUser(gateways[0]!.url, ev.id);
    const held = await buyer.client.seatsHold({
      eventId: ev.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 2,
    });
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    for (const p of await Promise.all(changed)) {
      expect(p.changes.map((c) => c.seatId).sort()).toEqual(held.data.seats.map((s) => s.id).sort());
    }

    // A second user waits (the one slot is the buyer's), with a socket on two other gateways:
    // the worker's admission push goes out through the sharded adapter on the cluster.
    const session = await registerUser(gateways[0]!.url);
    const tabs = await Promise.all([1, 2].map((i) => connectClient(gateways[i]!.url, session.accessToken)));
    const admittedPushes = tabs.map((c) => nextPush(c, 'queue:admitted', (p) => p.eventId === ev.id, 30_000));
    expect(await tabs[0]!.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'waiting' } });
    // me:state reads every event's room in its own slot: the place, and the buyer's hold and admission.
    const waiting = await tabs[1]!.meState({});
    expect(waiting.ok && waiting.data.queues).toEqual([
      { eventId: ev.id, state: 'waiting', position: 1, ahead: 0, etaSeconds: expect.any(Number) },
    ]);
    const buying = await buyer.client.meState({});
    expect(buying.ok && buying.data.holds.map((h) => h.holdId)).toEqual([held.data.holdId]);
    expect(buying.ok && buying.data.queues.map((q) => q.state)).toEqual(['admitted']);
    const confirmed = await buyer.client.holdConfirm({
      holdId: held.data.holdId,
      idempotencyKey: randomUUID(),
      payment: { method: 'mock' },
    });
    expect(confirmed.ok).toBe(true);
    const [a, b] = await Promise.all(admittedPushes);
    expect(a!.admissionToken).toBe(b!.admissionToken);
    // The token works for a hold through the third gateway.
    const third = await connectClient(gateways[0]!.url, session.accessToken);
    const hold = await third.seatsHold({
      eventId: ev.id,
      admissionToken: a!.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 1,
    });
    expect(hold.ok, JSON.stringify(hold)).toBe(true);
    await checkInvariants(t.databaseUrl);
  }, 90_000);

  it('admits 600 users exactly in join order, never more than maxActive at once', async () => {
    const USERS = 600;
    const MAX_ACTIVE = 40;
    const probe = createQueueProbe(t.config);
    const pool = createPool(t.databaseUrl, 2);
    const deps = {
      pool,
      redis: probe.redis,
      keys: probe.keys,
      admissionTokenSecret: t.config.admissionTokenSecret,
      challenge: t.config.challenge,
    };
    const ev = await createTestEvent(gateways[0]!.url, adminToken, {
      admission: { maxActive: MAX_ACTIVE, admitPerTick: 25, tickMs: 50, sessionTtlSeconds: 600 },
    });
    const eventId = ev.id;
    const admin = await connectAdmin(gateways[0]!.url, adminToken);
    await admin.queueControl({ eventId, action: 'pause' });
    const socketAt = new Set([0, 299, 599]);
    const socketUsers = new Map<string, EventlyClient>();
    const joinOrder: string[] = [];
    for (let i = 0; i < USERS; i++) {
      if (socketAt.has(i)) {
        const session = await registerUser(gateways[i % 3]!.url);
        const client = await connectClient(gateways[i % 3]!.url, session.accessToken);
        socketUsers.set(session.user.id, client);
        joinOrder.push(session.user.id);
        expect(await client.queueJoin({ eventId })).toMatchObject({ ok: true, data: { state: 'waiting', position: i + 1 } });
      } else {
        const userId = randomUUID();
        joinOrder.push(userId);
        expect(await joinQueue(deps, eventId, userId, new Date())).toMatchObject({ state: 'waiting', position: i + 1 });
      }
    }
    const sessionOf = new Map<string, number>();
    const pushes = [...socketUsers].map(async ([userId, client]) => {
      const p = await nextPush(client, 'queue:admitted', () => true, 90_000);
      const raw = await probe.redis.hget(probe.keys.admissionSessions(eventId), userId);
      sessionOf.set(userId, Number(decodeSessionRecord(raw)?.sessionId));
      await verifyAdmission(deps, p.admissionToken, { userId, eventId }, new Date());
      await endAdmissionSession(deps, eventId, userId);
    });
    await admin.queueControl({ eventId, action: 'resume' });
    let maxSeen = 0;
    const deadline = Date.now() + 120_000;
    while (sessionOf.size < USERS) {
      if (Date.now() > deadline) throw new Error(`only ${sessionOf.size} of ${USERS} admitted`);
      const sessions = await probe.sessions(eventId);
      maxSeen = Math.max(maxSeen, await probe.activeCount(eventId), Object.keys(sessions).length);
      const done: string[] = [];
      for (const [userId, raw] of Object.entries(sessions)) {
        if (!sessionOf.has(userId)) sessionOf.set(userId, Number(decodeSessionRecord(raw)?.sessionId));
        if (!socketUsers.has(userId)) done.push(userId);
      }
      await Promise.all(done.map((userId) => endAdmissionSession(deps, eventId, userId)));
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(pushes);
    const admissionOrder = [...sessionOf].sort((a, b) => a[1] - b[1]).map(([userId]) => userId);
    expect(admissionOrder).toEqual(joinOrder);
    expect(maxSeen).toBeLessThanOrEqual(MAX_ACTIVE);
    expect(maxSeen).toBeGreaterThan(0);
    await pool.end();
  }, 180_000);
});
