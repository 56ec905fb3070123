import { beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../core/db/pool.js';
import { endAdmissionSession, verifyAdmission } from '../../core/use-cases/waiting-room/admission-session.js';
import { runAdmissionTick } from '../../core/use-cases/waiting-room/run-admission-tick.js';
import { connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;

beforeAll(async () => {
  t = await createTestEnv({ ADMISSION_RECONCILE_MS: '200' });
  gw = await startGatewayProcess(t.env); // no worker yet: nothing ticks until the test says so
});

describe('an admitter that dies between admitting and announcing', () => {
  it('leaves the admission in Redis, and the next worker pushes queue:admitted with the same ticket', async () => {
    const adminToken = (await loginAdmin(gw.url)).accessToken;
    const event = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 1, admitPerTick: 5, tickMs: 100, sessionTtlSeconds: 120 },
    });
    const eventId = event.id;
    const [first, second] = await Promise.all([registerUser(gw.url), registerUser(gw.url)]);
    const a = await connectClient(gw.url, first.accessToken);
    const b = await connectClient(gw.url, second.accessToken);
    expect((await a.queueJoin({ eventId })).ok && 'admitted').toBe('admitted');
    const waiting = await b.queueJoin({ eventId });
    expect(waiting).toMatchObject({ ok: true, data: { state: 'waiting', position: 1 } });

    // A frees the slot; a tick admits B atomically in Redis, and its worker "dies" before the push.
    const probe = createQueueProbe(t.config);
    const pool = createPool(t.databaseUrl, 1);
    const deps = { pool, redis: probe.redis, keys: probe.keys, admissionTokenSecret: t.config.admissionTokenSecret };
    await endAdmissionSession(deps, eventId, first.user.id);
    const tick = await runAdmissionTick(deps, eventId, new Date());
    expect(tick.admitted.map((x) => x.userId)).toEqual([second.user.id]);

    const announced = nextPush(b, 'queue:admitted', (p) => p.eventId === eventId, 20_000);
    await startWorkerProcess(t.env);
    const push = await announced;
    expect(push.admissionToken).toBe(tick.admitted[0]?.ticket.admissionToken);
    await verifyAdmission(deps, push.admissionToken, { userId: second.user.id, eventId }, new Date());
    expect(await probe.redis.zcard(probe.keys.admittedUnnotified(eventId))).toBe(0);
    await pool.end();
  });
});
