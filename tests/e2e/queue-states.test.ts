import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import type { PushPayload } from '../../core/contract/pushes.js';
import { admittedUser } from '../support/admit-user.js';
import { connectAdmin, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gws: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  const t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '200', ADMISSION_RECONCILE_MS: '200' });
  gws = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gws[0]?.url as string)).accessToken;
}, 180_000);

const url = (i: number) => (gws[i] as StartedProcess).url;

/** One admitted buyer (the only slot) and a waiting user on each gateway. */
async function roomWithWaiters(seats = 2) {
  const ev = await createTestEvent(url(0), adminToken, {
    sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: seats }],
    admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 3600 },
  });
  const buyer = await admittedUser(url(0), ev.id);
  const waiters: EventlyClient[] = [];
  for (const i of [0, 1]) {
    const session = await registerUser(url(i));
    const c = await connectClient(url(i), session.accessToken);
    const joined = await c.queueJoin({ eventId: ev.id });
    expect(joined.ok && joined.data.state).toBe('waiting');
    waiters.push(c);
  }
  return { ev, buyer, waiters };
}

const stateOn = (c: EventlyClient, eventId: string, state: PushPayload<'queue:state'>['state']) =>
  nextPush(c, 'queue:state', (p) => p.eventId === eventId && p.state === state, 15_000);

describe('waiting-room states (v1.1)', () => {
  it('pause and resume reach waiting users on every gateway; positions and status say paused', async () => {
    const { ev, waiters } = await roomWithWaiters();
    const admin = await connectAdmin(url(1), adminToken);
    const paused = waiters.map((w) => stateOn(w, ev.id, 'paused'));
    const pausedPositions = waiters.map((w) => nextPush(w, 'queue:position', (p) => p.paused === true, 15_000));
    expect((await admin.queueControl({ eventId: ev.id, action: 'pause' })).ok).toBe(true);
    for (const p of await Promise.all(paused)) expect(p).toMatchObject({ eventId: ev.id, state: 'paused' });
    await Promise.all(pausedPositions);
    const status = await waiters[1]?.queueStatus({ eventId: ev.id });
    expect(status?.ok && status.data).toMatchObject({ state: 'waiting', paused: true });
    const resumed = waiters.map((w) => stateOn(w, ev.id, 'resumed'));
    expect((await admin.queueControl({ eventId: ev.id, action: 'resume' })).ok).toBe(true);
    await Promise.all(resumed);
    const after = await waiters[0]?.queueStatus({ eventId: ev.id });
    expect(after?.ok && after.data.state === 'waiting' && after.data.paused).toBeFalsy();
  });

  it('sold out reaches waiting users on every gateway, and a later join answers SOLD_OUT', async () => {
    const { ev, buyer, waiters } = await roomWithWaiters(2);
    const soldOut = waiters.map((w) => stateOn(w, ev.id, 'sold_out'));
    const held = await buyer.client.seatsHold({
      eventId: ev.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 2,
    });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    const confirmed = await buyer.client.holdConfirm({
      holdId: held.data.holdId,
      idempotencyKey: randomUUID(),
      payment: { method: 'mock' },
    });
    expect(confirmed.ok).toBe(true);
    await Promise.all(soldOut);
    for (const i of [0, 1]) {
      const late = await connectClient(url(i), (await registerUser(url(i))).accessToken);
      const ack = await late.queueJoin({ eventId: ev.id });
      expect(ack.ok === false && ack.error.code).toBe('SOLD_OUT');
    }
  });

  it('cancelling the event reaches waiting users on every gateway', async () => {
    const { ev, waiters } = await roomWithWaiters();
    const cancelled = waiters.map((w) => stateOn(w, ev.id, 'cancelled'));
    expect((await http(url(1), 'DELETE', `/api/admin/events/${ev.id}`, { token: adminToken })).status).toBe(200);
    await Promise.all(cancelled);
  });

  it('rejects bad queue:control fields of the closed loop', async () => {
    const admin = await connectAdmin(url(0), adminToken);
    const eventId = randomUUID();
    for (const payload of [
      { eventId, action: 'configure', targetHoldP95Ms: 0 },
      { eventId, action: 'configure', targetHoldP95Ms: 'fast' },
      { eventId, action: 'configure', auto: 'yes' },
      { eventId, action: 'configure' },
    ]) {
      const ack = await admin.send('queue:control', payload);
      expect(ack.ok === false && ack.error.code, JSON.stringify(payload)).toBe('VALIDATION_FAILED');
    }
  });
});
