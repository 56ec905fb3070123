import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { QueueState } from '../../core/contract/commands.js';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { createPool } from '../../core/db/pool.js';
import {
  decodeSessionRecord,
  endAdmissionSession,
  verifyAdmission,
} from '../../core/use-cases/waiting-room/admission-session.js';
import { joinQueue } from '../../core/use-cases/waiting-room/join-queue.js';
import { connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

const USERS = 5000;
const MAX_ACTIVE = 150;
let t: TestEnv;
let gw: StartedProcess;
let workers: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '200', ADMISSION_RECONCILE_MS: '200' });
  [gw, ...workers] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

describe('admission order with two worker processes', () => {
  it(`admits ${USERS} users exactly in join order, never more than maxActive at once`, async () => {
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
      admission: { maxActive: MAX_ACTIVE, admitPerTick: 60, tickMs: 50, sessionTtlSeconds: 600 },
    });
    const eventId = event.id;
    // Paused while everybody joins, so that the admitters, not the joins, decide the order.
    const admin = await connectAdmin(gw.url, adminToken);
    await admin.queueControl({ eventId, action: 'pause' });

    // Real users on sockets at known places among the rest, which join through the use case.
    const socketAt = new Set([0, 1, 777, 2500, 4999]);
    const socketUsers = new Map<string, EventlyClient>();
    const joinOrder: string[] = [];
    for (let i = 0; i < USERS; i++) {
      let state: QueueState;
      if (socketAt.has(i)) {
        const session = await registerUser(gw.url);
        const client = await connectClient(gw.url, session.accessToken);
        socketUsers.set(session.user.id, client);
        joinOrder.push(session.user.id);
        const ack = await client.queueJoin({ eventId });
        if (!ack.ok) throw new Error(JSON.stringify(ack));
        state = ack.data;
      } else {
        const userId = randomUUID();
        joinOrder.push(userId);
        state = await joinQueue(deps, eventId, userId, new Date());
      }
      expect(state).toMatchObject({ state: 'waiting', position: i + 1 });
    }
    const sessionOf = new Map<string, number>();
    const pushes = [...socketUsers].map(async ([userId, client]) => {
      const p = await nextPush(client, 'queue:admitted', () => true, 60_000);
      // Recorded here too: this user may get in and check out between two polls of the loop below.
      const raw = await probe.redis.hget(probe.keys.admissionSessions(eventId), userId);
      sessionOf.set(userId, Number(decodeSessionRecord(raw)?.sessionId));
      // A genuine, live token for this user and event, then checkout frees the slot.
      await verifyAdmission(deps, p.admissionToken, { userId, eventId }, new Date());
      await endAdmissionSession(deps, eventId, userId);
    });

    await admin.queueControl({ eventId, action: 'resume' });
    let maxSeen = 0;
    let killed = false;
    while (sessionOf.size < USERS) {
      const sessions = await probe.sessions(eventId);
      const live = await probe.activeCount(eventId);
      maxSeen = Math.max(maxSeen, live, Object.keys(sessions).length);
      const done: string[] = [];
      for (const [userId, raw] of Object.entries(sessions)) {
        if (!sessionOf.has(userId)) sessionOf.set(userId, Number(decodeSessionRecord(raw)?.sessionId));
        if (!socketUsers.has(userId)) done.push(userId);
      }
      // Users finish checkout (their last hold done) and free their slots.
      await Promise.all(done.map((userId) => endAdmissionSession(deps, eventId, userId)));
      if (!killed && sessionOf.size > USERS / 2) {
        // One admitter dies mid-sale; the other carries on alone, in order.
        killed = true;
        await workers[0]!.kill();
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(pushes);

    const admissionOrder = [...sessionOf].sort((a, b) => a[1] - b[1]).map(([userId]) => userId);
    expect(admissionOrder).toEqual(joinOrder);
    expect(new Set(sessionOf.values()).size).toBe(USERS);
    expect(maxSeen).toBeLessThanOrEqual(MAX_ACTIVE);
    expect(maxSeen).toBeGreaterThan(0);
    expect((await probe.stats(eventId)).maxDisplacement ?? '0').toBe('0');
    expect(await probe.redis.zcard(probe.keys.queue(eventId))).toBe(0);
    await pool.end();
  }, 180_000); // 5,000 joins and checkouts one by one: a budget for a busy CI machine, not a timing claim
});
