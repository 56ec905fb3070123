import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../core/db/pool.js';
import { joinQueue } from '../../core/use-cases/waiting-room/join-queue.js';
import { admit } from '../support/admit-user.js';
import { connectAdmin, connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({
    PG_POOL_SIZE: '3',
    HOLD_HEALTH_REPORT_MS: '500',
    ADMISSION_DB_QUEUE_MAX: '2',
    ADMISSION_RECONCILE_MS: '200',
  });
  [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
}, 180_000);

const ADMIT_PER_TICK = 10;

describe('closed-loop admission', () => {
  it('lowers the admission rate while holds are slowed by held Postgres locks and raises it again after', async () => {
    const probe = createQueueProbe(t.config);
    const ev = await createTestEvent(gw.url, adminToken, {
      sections: [{ name: 'A', priceCents: 100, rows: 10, seatsPerRow: 50 }],
      admission: { maxActive: 1_000_000, admitPerTick: ADMIT_PER_TICK, tickMs: 200, sessionTtlSeconds: 3600 },
    });
    const admin = await connectAdmin(gw.url, adminToken);
    const configured = await admin.queueControl({ eventId: ev.id, action: 'configure', targetHoldP95Ms: 200 });
    expect(configured.ok && configured.data).toMatchObject({ targetHoldP95Ms: 200, auto: true, admitPerTick: ADMIT_PER_TICK });
    // An event setting: the catalog shows it, and PATCH sets it too.
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.admission).toMatchObject({
      targetHoldP95Ms: 200,
      auto: true,
    });
    const patched = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, {
      token: adminToken,
      body: { admission: { targetHoldP95Ms: 200 } },
    });
    expect(patched.status).toBe(200);
    expect((await admin.queueControl({ eventId: ev.id, action: 'pause' })).ok).toBe(true);
    // Five buyers first in line, then a long queue that keeps the room admitting all test long.
    const buyers = await Promise.all(
      [...Array(5).keys()].map(async () => {
        const client = await connectClient(gw.url, (await registerUser(gw.url)).accessToken);
        const token = admit(client, ev.id);
        return { client, token };
      }),
    );
    const pool = createPool(t.databaseUrl, 4);
    const deps = {
      pool,
      redis: probe.redis,
      keys: probe.keys,
      admissionTokenSecret: t.config.admissionTokenSecret,
      challenge: t.config.challenge,
    };
    for (let i = 0; i < 3000; i += 300) {
      await Promise.all([...Array(300).keys()].map(() => joinQueue(deps, ev.id, randomUUID(), new Date())));
    }
    const limits: number[] = [];
    const sampler = setInterval(() => {
      void probe.stats(ev.id).then((s) => {
        if (s.aimdLimit) limits.push(Number(s.aimdLimit));
      });
    }, 100);
    try {
      expect((await admin.queueControl({ eventId: ev.id, action: 'resume' })).ok).toBe(true);
      const tokens = await Promise.all(buyers.map((b) => b.token));
      await waitUntil('the loop runs at admitPerTick while healthy', () => limits.at(-1) === ADMIT_PER_TICK, 15_000);

      // Slow the hold path: the test holds the event row, every hold waits behind it.
      const locker = new pg.Client({ connectionString: t.databaseUrl });
      await locker.connect();
      await locker.query('BEGIN');
      await locker.query('SELECT id FROM events WHERE id = $1 FOR UPDATE', [ev.id]);
      let slowing = true;
      const pressure = buyers.map(async (b, i) => {
        while (slowing) {
          await b.client
            .send(
              'seats:hold',
              { eventId: ev.id, admissionToken: tokens[i], idempotencyKey: randomUUID(), quantity: 1 },
              { timeoutMs: 60_000 },
            )
            .catch(() => null);
        }
      });
      const before = limits.length;
      await waitUntil('the loop backed off', () => limits.slice(before).some((l) => l <= 2), 20_000);
      const low = Math.min(...limits.slice(before));

      slowing = false;
      await locker.query('ROLLBACK');
      await locker.end();
      await Promise.all(pressure);
      const after = limits.length;
      await waitUntil('the loop climbed back to admitPerTick', () => limits.slice(after).at(-1) === ADMIT_PER_TICK, 30_000);
      expect(low).toBeLessThanOrEqual(2);
      expect(Math.max(...limits)).toBeLessThanOrEqual(ADMIT_PER_TICK);
      // The analytics stream shows the loop: target, measured latency, current limit.
      const snap = await admin.analyticsSubscribe({ eventId: ev.id });
      expect(snap.ok && snap.data.queue).toMatchObject({ auto: true, targetHoldP95Ms: 200 });
      expect(snap.ok && typeof snap.data.queue.admitLimitPerTick).toBe('number');
    } finally {
      clearInterval(sampler);
      await pool.end();
    }
  });

  it('with auto off admits a fixed admitPerTick whatever the health', async () => {
    const probe = createQueueProbe(t.config);
    const ev = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 1_000_000, admitPerTick: 7, tickMs: 200, sessionTtlSeconds: 3600 },
    });
    const admin = await connectAdmin(gw.url, adminToken);
    const off = await admin.queueControl({ eventId: ev.id, action: 'configure', auto: false });
    expect(off.ok && off.data.auto).toBe(false);
    const pool = createPool(t.databaseUrl, 2);
    try {
      await admin.queueControl({ eventId: ev.id, action: 'pause' });
      const deps = {
        pool,
        redis: probe.redis,
        keys: probe.keys,
        admissionTokenSecret: t.config.admissionTokenSecret,
        challenge: t.config.challenge,
      };
      await Promise.all([...Array(50).keys()].map(() => joinQueue(deps, ev.id, randomUUID(), new Date())));
      // A gateway reporting a terrible hold path: ignored with the loop off.
      await probe.redis.hset(
        probe.keys.holdHealth,
        'fake',
        JSON.stringify({ holdP95Ms: 60_000, dbWaiting: 999, atMs: Date.now() + 60_000 }),
      );
      await admin.queueControl({ eventId: ev.id, action: 'resume' });
      await waitUntil('a tick ran', async () => (await probe.stats(ev.id)).aimdLimit);
      expect((await probe.stats(ev.id)).aimdLimit).toBe('7');
    } finally {
      await probe.redis.hdel(probe.keys.holdHealth, 'fake');
      await pool.end();
    }
  });
});
