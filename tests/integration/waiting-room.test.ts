import { beforeAll, describe, expect, it } from 'vitest';
import { signAdmissionToken } from '../../core/auth/admission-tokens.js';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { endAdmissionSession, verifyAdmission } from '../../core/use-cases/waiting-room/admission-session.js';
import { collectPushes, connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let probe: ReturnType<typeof createQueueProbe>;

beforeAll(async () => {
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '100', ADMISSION_RECONCILE_MS: '200' });
  [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  probe = createQueueProbe(t.config);
});

async function user(): Promise<{ id: string; client: EventlyClient }> {
  const session = await registerUser(gw.url);
  return { id: session.user.id, client: await connectClient(gw.url, session.accessToken) };
}

function data<T>(ack: { ok: boolean; data?: T; error?: unknown }): T {
  if (!ack.ok) throw new Error(`expected ok, got ${JSON.stringify(ack)}`);
  return ack.data as T;
}

const verifyDeps = () => ({ redis: probe.redis, keys: probe.keys, admissionTokenSecret: t.config.admissionTokenSecret });
const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: { code?: string }) => e.code ?? String(e),
  );

describe('waiting room', () => {
  it('admits at once while there is room, queues the rest in order and admits them as slots free up', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 2, admitPerTick: 5, tickMs: 100, sessionTtlSeconds: 60 },
    });
    const [a, b, c, d] = await Promise.all([user(), user(), user(), user()]);
    const eventId = event.id;
    const joinA = data(await a!.client.queueJoin({ eventId }));
    const joinB = data(await b!.client.queueJoin({ eventId }));
    expect(joinA.state).toBe('admitted');
    expect(joinB.state).toBe('admitted');
    expect(data(await c!.client.queueJoin({ eventId }))).toMatchObject({ state: 'waiting', position: 1, ahead: 0 });
    expect(data(await d!.client.queueJoin({ eventId }))).toMatchObject({ state: 'waiting', position: 2, ahead: 1 });
    // Joining twice keeps the first place; status tells the same.
    expect(data(await c!.client.queueJoin({ eventId }))).toMatchObject({ state: 'waiting', position: 1 });
    const statusD = data(await d!.client.queueStatus({ eventId }));
    expect(statusD).toMatchObject({ state: 'waiting', position: 2, ahead: 1 });
    expect(statusD.state === 'waiting' && statusD.etaSeconds).toBeGreaterThan(0);
    // Admitted twice: the same token again.
    expect(data(await a!.client.queueJoin({ eventId }))).toEqual(joinA);

    const admittedC = nextPush(c!.client, 'queue:admitted');
    const movedD = nextPush(d!.client, 'queue:position', (p) => p.position === 1);
    expect(data(await a!.client.queueLeave({ eventId }))).toEqual({});
    const pushC = await admittedC;
    expect(pushC.eventId).toBe(eventId);
    expect(await movedD).toMatchObject({ eventId, position: 1, ahead: 0 });
    await verifyAdmission(verifyDeps(), pushC.admissionToken, { userId: c!.id, eventId }, new Date());
    expect(data(await c!.client.queueStatus({ eventId }))).toEqual({ state: 'admitted', ...pushC, eventId: undefined });
    // A left session's token is dead; never more than maxActive live.
    if (joinA.state !== 'admitted') throw new Error('unreachable');
    expect(await codeOf(verifyAdmission(verifyDeps(), joinA.admissionToken, { userId: a!.id, eventId }, new Date()))).toBe(
      'NOT_ADMITTED',
    );
    expect(await probe.activeCount(eventId)).toBe(2);
    expect(data(await d!.client.queueStatus({ eventId }))).toMatchObject({ state: 'waiting', position: 1 });
    expect(data(await a!.client.queueStatus({ eventId }))).toEqual({ state: 'none' });
  });

  it('refuses tokens for another event, another user, forged, tampered, ended or expired', async () => {
    const settings = { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 30 };
    const [eventA, eventB] = await Promise.all([
      createTestEvent(gw.url, adminToken, { admission: settings }),
      createTestEvent(gw.url, adminToken, { admission: settings }),
    ]);
    const [u, other, next] = await Promise.all([user(), user(), user()]);
    const joined = data(await u.client.queueJoin({ eventId: eventA.id }));
    if (joined.state !== 'admitted') throw new Error('expected admission');
    const token = joined.admissionToken;
    const deps = verifyDeps();
    const now = new Date();
    await expect(verifyAdmission(deps, token, { userId: u.id, eventId: eventA.id }, now)).resolves.toBeUndefined();
    expect(await codeOf(verifyAdmission(deps, token, { userId: u.id, eventId: eventB.id }, now))).toBe('NOT_ADMITTED');
    expect(await codeOf(verifyAdmission(deps, token, { userId: other.id, eventId: eventA.id }, now))).toBe('NOT_ADMITTED');
    const forged = signAdmissionToken({ userId: u.id, eventId: eventA.id, sessionId: '1' }, 'x'.repeat(40), 60);
    expect(await codeOf(verifyAdmission(deps, forged, { userId: u.id, eventId: eventA.id }, now))).toBe('NOT_ADMITTED');
    const tampered = token.slice(0, -3) + (token.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(await codeOf(verifyAdmission(deps, tampered, { userId: u.id, eventId: eventA.id }, now))).toBe('NOT_ADMITTED');
    expect(await codeOf(verifyAdmission(deps, 'not-a-jwt', { userId: u.id, eventId: eventA.id }, now))).toBe('NOT_ADMITTED');
    const afterTtl = new Date(Date.parse(joined.expiresAt) + 1000);
    expect(await codeOf(verifyAdmission(deps, token, { userId: u.id, eventId: eventA.id }, afterTtl))).toBe('ADMISSION_EXPIRED');

    // Ending the session (last hold done) frees the slot for the next in line.
    expect(data(await next.client.queueJoin({ eventId: eventA.id }))).toMatchObject({ state: 'waiting', position: 1 });
    const admittedNext = nextPush(next.client, 'queue:admitted');
    await endAdmissionSession(deps, eventA.id, u.id);
    expect(await codeOf(verifyAdmission(deps, token, { userId: u.id, eventId: eventA.id }, now))).toBe('NOT_ADMITTED');
    const pushed = await admittedNext;
    await verifyAdmission(deps, pushed.admissionToken, { userId: next.id, eventId: eventA.id }, new Date());
  });

  it('pause, configure and resume take effect at the next tick', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 50, admitPerTick: 50, tickMs: 100, sessionTtlSeconds: 60 },
    });
    const eventId = event.id;
    const admin = await connectAdmin(gw.url, adminToken);
    expect(data(await admin.queueControl({ eventId, action: 'pause' }))).toMatchObject({ eventId, paused: true, maxActive: 50 });
    const users = [];
    for (let i = 0; i < 6; i++) users.push(await user());
    for (const [i, u] of users.entries()) {
      // Joins are still accepted while paused, but nobody skips the queue.
      expect(data(await u.client.queueJoin({ eventId }))).toMatchObject({ state: 'waiting', position: i + 1, etaSeconds: null });
    }
    const whilePaused = await probe.waitForTickWithCurrentSettings(eventId);
    expect(Number(whilePaused.ticks)).toBeGreaterThan(0);
    expect(await probe.activeCount(eventId)).toBe(0);

    const configured = data(await admin.queueControl({ eventId, action: 'configure', maxActive: 2, tickMs: 150 }));
    expect(configured).toEqual({
      eventId,
      paused: true,
      maxActive: 2,
      admitPerTick: 50,
      tickMs: 150,
      sessionTtlSeconds: 60,
      // v1.1 closed-loop settings, at their defaults
      targetHoldP95Ms: 250,
      auto: true,
      // v1.2 door settings, at their defaults
      challenge: { required: false },
      requireVerifiedEmail: false,
    });
    const pushes = users.map((u) => collectPushes(u.client, 'queue:admitted'));
    expect(data(await admin.queueControl({ eventId, action: 'resume' }))).toMatchObject({ paused: false, maxActive: 2 });
    await probe.waitForTickWithCurrentSettings(eventId);
    // The first tick after resume already runs with maxActive 2: the two at the head, nobody else.
    await waitUntil('two admitted pushes', () => pushes[0]!.items.length + pushes[1]!.items.length === 2);
    expect(await probe.activeCount(eventId)).toBe(2);
    expect(data(await users[2]!.client.queueStatus({ eventId }))).toMatchObject({ state: 'waiting', position: 1 });

    data(await admin.queueControl({ eventId, action: 'configure', maxActive: 4 }));
    await probe.waitForTickWithCurrentSettings(eventId);
    expect(await probe.activeCount(eventId)).toBe(4);
    await waitUntil('four admitted pushes', () => pushes.slice(0, 4).every((p) => p.items.length === 1));
    expect(pushes[4]!.items).toHaveLength(0);
    expect(data(await users[4]!.client.queueStatus({ eventId }))).toMatchObject({ state: 'waiting', position: 1 });

    // The new interval is live in the scheduler and persisted on the event.
    const stored = await probe.redis.hgetall(probe.keys.admissionControl(eventId));
    expect(stored).toMatchObject({ maxActive: '4', tickMs: '150', paused: '0' });
    const figures = await import('../../core/use-cases/waiting-room/read-queue-figures.js').then((m) =>
      m.readQueueFigures({ redis: probe.redis, keys: probe.keys }, eventId, new Date()),
    );
    expect(figures).toMatchObject({ waiting: 2, active: 4, paused: false, fairnessDisplacement: 0 });
    expect(figures.admittedPerMinute).toBe(4);
  });

  it('answers bad input on every command with the right code and changes nothing', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 5, admitPerTick: 5, tickMs: 100, sessionTtlSeconds: 60 },
    });
    const eventId = event.id;
    const u = await user();
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const name of ['queue:join', 'queue:status', 'queue:leave']) {
      for (const payload of [
        undefined,
        {},
        { eventId: 'nope' },
        { eventId: 42 },
        { eventId, extra: 'x'.repeat(5000) },
        [eventId],
      ]) {
        const ack = await u.client.send(name, payload);
        expect(ack, `${name} ${JSON.stringify(payload)?.slice(0, 40)}`).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION_FAILED', retryable: false },
        });
      }
      expect(await u.client.send(name, { eventId: unknown })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
    expect(await probe.redis.keys(`${t.redisPrefix}*${unknown}*`)).toEqual([]);
    // Without an ack the command is ignored.
    u.client.socket.emit('queue:join', { eventId });
    const anonymous = await connectClient(gw.url);
    expect(await anonymous.queueJoin({ eventId })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(await anonymous.queueStatus({ eventId })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(data(await u.client.queueStatus({ eventId }))).toEqual({ state: 'none' });

    // A payload past the socket limit drops that connection, nothing else.
    const big = await user();
    const dropped = new Promise((r) => big.client.socket.once('disconnect', r));
    big.client.socket.emit('queue:join', { eventId, pad: 'x'.repeat(t.config.socketMaxPayloadBytes + 1000) }, () => {});
    await dropped;
    expect(await probe.redis.zcard(probe.keys.active(eventId))).toBe(0);

    const admin = await connectAdmin(gw.url, adminToken);
    const badControls: unknown[] = [
      {},
      { eventId },
      { eventId, action: 'explode' },
      { eventId, action: 'configure' },
      { eventId, action: 'configure', maxActive: 0 },
      { eventId, action: 'configure', tickMs: 10 },
      { eventId, action: 'configure', admitPerTick: 1.5 },
      { eventId, action: 'configure', sessionTtlSeconds: 99 },
      { eventId: 'nope', action: 'pause' },
    ];
    for (const payload of badControls) {
      expect(await admin.send('queue:control', payload), JSON.stringify(payload)).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED' },
      });
    }
    expect(await admin.queueControl({ eventId: unknown, action: 'pause' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const userAsAdmin = connectAdmin(gw.url, (await registerUser(gw.url)).accessToken);
    await expect(userAsAdmin).rejects.toMatchObject({ data: { code: 'FORBIDDEN' } });
    // Nothing changed: the settings are the event's own and the queue still admits.
    expect(data(await u.client.queueJoin({ eventId }))).toMatchObject({ state: 'admitted' });
    expect(await probe.redis.hgetall(probe.keys.admissionControl(eventId))).toMatchObject({ maxActive: '5', paused: '0' });
    const health = await fetch(`${gw.url}/health`);
    expect(health.status).toBe(200);
  });
});
