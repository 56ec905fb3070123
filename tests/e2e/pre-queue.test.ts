import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../core/db/pool.js';
import { decodeSessionRecord, endAdmissionSession } from '../../core/use-cases/waiting-room/admission-session.js';
import { joinQueue } from '../../core/use-cases/waiting-room/join-queue.js';
import { connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

const PRE = 1000;
const POST = 100;
let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '100', ADMISSION_RECONCILE_MS: '100' });
  [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

describe('fair pre-queue', () => {
  it(`${PRE} joins before sale start come out shuffled, all of them, ahead of later joins`, async () => {
    const probe = createQueueProbe(t.config);
    const pool = createPool(t.databaseUrl, 2);
    const deps = {
      pool,
      redis: probe.redis,
      keys: probe.keys,
      admissionTokenSecret: t.config.admissionTokenSecret,
      challenge: t.config.challenge,
    };
    const event = await createTestEvent(gw.url, adminToken, {
      saleStartsAt: new Date(Date.now() + 86_400_000).toISOString(),
      admission: { maxActive: 5000, admitPerTick: 200, tickMs: 50, sessionTtlSeconds: 600 },
    });
    const eventId = event.id;
    const watcher = await registerUser(gw.url);
    const watcherClient = await connectClient(gw.url, watcher.accessToken);
    const preOrder: string[] = [watcher.user.id];
    expect(await watcherClient.queueJoin({ eventId })).toMatchObject({
      ok: true,
      data: { state: 'waiting', position: null, ahead: 0, etaSeconds: null },
    });
    for (let i = 1; i < PRE; i++) {
      const userId = randomUUID();
      preOrder.push(userId);
      expect(await joinQueue(deps, eventId, userId, new Date())).toMatchObject({ state: 'waiting', position: null, ahead: i });
    }
    // Joining again before the sale keeps the (hidden) place.
    expect(await watcherClient.queueJoin({ eventId })).toMatchObject({ ok: true, data: { position: null, ahead: PRE - 1 } });

    // Hold admissions while the sale opens, so the reveal can be watched.
    const admin = await connectAdmin(gw.url, adminToken);
    await admin.queueControl({ eventId, action: 'pause' });
    const revealed = nextPush(watcherClient, 'queue:position', (p) => p.position !== null);
    const open = await http(gw.url, 'PATCH', `/api/admin/events/${eventId}`, {
      token: adminToken,
      body: { saleStartsAt: new Date().toISOString() },
    });
    expect(open.status).toBe(200);
    const saleStartsAtMs = String(Date.parse(open.body.saleStartsAt));
    await waitUntil('the sale start mirrored', async () => {
      return (await probe.redis.hget(probe.keys.admissionControl(eventId), 'saleStartsAtMs')) === saleStartsAtMs;
    });
    const place = await revealed;
    expect(place.position).toBeGreaterThanOrEqual(1);
    expect(place.position).toBeLessThanOrEqual(PRE);
    expect(await watcherClient.queueStatus({ eventId })).toMatchObject({ ok: true, data: { position: place.position } });

    const postOrder: string[] = [];
    for (let i = 0; i < POST; i++) {
      const userId = randomUUID();
      postOrder.push(userId);
      expect(await joinQueue(deps, eventId, userId, new Date())).toMatchObject({ state: 'waiting', position: PRE + i + 1 });
    }
    await admin.queueControl({ eventId, action: 'resume' });
    const sessionOf = await waitUntil('everyone admitted', async () => {
      const sessions = await probe.sessions(eventId);
      return Object.keys(sessions).length === PRE + POST ? sessions : null;
    });
    const admissionOrder = Object.entries(sessionOf)
      .map(([userId, raw]) => [userId, Number(decodeSessionRecord(raw)?.sessionId)] as const)
      .sort((a, b) => a[1] - b[1])
      .map(([userId]) => userId);
    const firstPre = admissionOrder.slice(0, PRE);
    // A permutation: nobody lost, nobody twice, nobody from later in between; not join order.
    expect([...firstPre].sort()).toEqual([...preOrder].sort());
    expect(firstPre).not.toEqual(preOrder);
    expect(admissionOrder.slice(PRE)).toEqual(postOrder);
    expect(admissionOrder.indexOf(watcher.user.id)).toBe((place.position as number) - 1);
    await endAdmissionSession(deps, eventId, watcher.user.id);
    await pool.end();
  });
});
