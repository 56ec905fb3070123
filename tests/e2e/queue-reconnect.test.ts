import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { readQueueFigures } from '../../core/use-cases/waiting-room/read-queue-figures.js';
import { connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw1: StartedProcess;
let gw2: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '100', ADMISSION_RECONCILE_MS: '200', QUEUE_GRACE_SECONDS: '2' });
  [gw1, gw2] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw1.url)).accessToken;
});

const state = async (client: EventlyClient, eventId: string) => {
  const ack = await client.queueStatus({ eventId });
  if (!ack.ok) throw new Error(JSON.stringify(ack));
  return ack.data;
};

describe('disconnect grace period across gateways', () => {
  it('keeps the place of a user who comes back through another gateway, drops one who does not', async () => {
    const probe = createQueueProbe(t.config);
    const event = await createTestEvent(gw1.url, adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 60 },
    });
    const eventId = event.id;
    const [holder, u1, u2, u3] = await Promise.all([0, 1, 2, 3].map(() => registerUser(gw1.url)));
    const onGw1 = async (s: typeof holder) => connectClient(gw1.url, s!.accessToken);
    const holderClient = await onGw1(holder);
    expect(await state(holderClient, eventId)).toEqual({ state: 'none' });
    expect(await holderClient.queueJoin({ eventId })).toMatchObject({ ok: true, data: { state: 'admitted' } });
    const c1 = await onGw1(u1);
    const c2 = await onGw1(u2);
    const c3 = await onGw1(u3);
    for (const [i, c] of [c1, c2, c3].entries()) {
      expect(await c.queueJoin({ eventId })).toMatchObject({ ok: true, data: { state: 'waiting', position: i + 1 } });
    }

    // u1 goes away; while away the admitter lets the next connected user in instead.
    const gone = waitUntil('u1 marked away', () => probe.redis.zscore(probe.keys.queueDisconnected(eventId), u1!.user.id));
    c1.close();
    await gone;
    const admitted2 = nextPush(c2, 'queue:admitted');
    await holderClient.queueLeave({ eventId });
    await admitted2;

    // u1 returns through the other gateway within the grace period: still first in line.
    const back1 = await connectClient(gw2.url, u1!.accessToken);
    expect(await state(back1, eventId)).toMatchObject({ state: 'waiting', position: 1, ahead: 0 });
    const admitted1 = nextPush(back1, 'queue:admitted');
    await c2.queueLeave({ eventId });
    const pushed = await admitted1;
    expect(await state(back1, eventId)).toMatchObject({ state: 'admitted', admissionToken: pushed.admissionToken });
    // u2 overtook u1 once: the measured fairness figure says so.
    expect((await readQueueFigures(probe, eventId, new Date())).fairnessDisplacement).toBe(1);

    // u3 goes away and stays away: after the grace period the place is gone.
    c3.close();
    await waitUntil('u3 dropped', async () => (await probe.redis.zscore(probe.keys.queue(eventId), u3!.user.id)) === null);
    const back3 = await connectClient(gw2.url, u3!.accessToken);
    expect(await state(back3, eventId)).toEqual({ state: 'none' });
  });

  it('a second tab keeps the place when the first one closes', async () => {
    const probe = createQueueProbe(t.config);
    const event = await createTestEvent(gw1.url, adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 60 },
    });
    const eventId = event.id;
    const [holder, u] = await Promise.all([registerUser(gw1.url), registerUser(gw1.url)]);
    await (await connectClient(gw1.url, holder.accessToken)).queueJoin({ eventId });
    const tab1 = await connectClient(gw1.url, u.accessToken);
    const tab2 = await connectClient(gw2.url, u.accessToken);
    expect(await tab1.queueJoin({ eventId })).toMatchObject({ ok: true, data: { state: 'waiting', position: 1 } });
    tab1.close();
    // Wait past the grace period, measured by the admitter itself: ticks keep running.
    const ticksAtClose = Number((await probe.stats(eventId)).ticks ?? 0);
    await waitUntil('grace period over', async () => Number((await probe.stats(eventId)).ticks) > ticksAtClose + 30);
    expect(await state(tab2, eventId)).toMatchObject({ state: 'waiting', position: 1 });
  });
});
