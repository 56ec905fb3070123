import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MeState } from '../../core/contract/me-state.js';
import { admit, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * PROTOCOL v1.2 "Picking up where you left off": `me:state` and `GET /api/me/state` answer what a
 * user has, made on any gateway, to any gateway; never another user's things; never a hold past
 * its time; and reading it never moves a hold's expiry.
 */
let gw: StartedProcess[];
let adminToken: string;
const url = (i: number) => (gw[i] as StartedProcess).url;

beforeAll(async () => {
  const t = await createTestEnv({ HOLD_SWEEP_CRON: '*/1 * * * * *', WAITLIST_OFFER_TTL_SECONDS: '60' });
  gw = [await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw1' }), await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw2' })];
  await startWorkerProcess({ ...t.env, INSTANCE_ID: 'worker1' });
  adminToken = (await loginAdmin(url(0))).accessToken;
}, 120_000);

async function stateOverSocket(client: Awaited<ReturnType<typeof connectClient>>): Promise<MeState> {
  const r = await client.meState({});
  if (!r.ok) throw new Error(`me:state failed: ${JSON.stringify(r.error)}`);
  return r.data;
}

async function stateOverHttp(base: string, token: string): Promise<MeState> {
  const r = await http<MeState>(base, 'GET', '/api/me/state', { token });
  expect(r.status).toBe(200);
  return r.body;
}

describe('me:state', () => {
  it('lists a hold, a place in line and an admission made on one gateway, on the other, over both transports', async () => {
    const seats = await createTestEvent(url(0), adminToken, { admission: OPEN_ADMISSION, holdTtlSeconds: 600 });
    const room = await createTestEvent(url(0), adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 60_000, sessionTtlSeconds: 600 },
    });
    const buyer = await admittedUser(url(0), seats.id);
    const held = await buyer.client.seatsHold({
      eventId: seats.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 2,
    });
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    // The room takes one at once; the buyer waits behind another user.
    const first = await connectClient(url(1), (await registerUser(url(1))).accessToken);
    expect((await first.queueJoin({ eventId: room.id })).ok).toBe(true);
    const joined = await buyer.client.queueJoin({ eventId: room.id });
    expect(joined.ok && joined.data.state).toBe('waiting');

    const other = await connectClient(url(1), buyer.accessToken);
    const overSocket = await stateOverSocket(other);
    const overHttp = await stateOverHttp(url(1), buyer.accessToken);
    for (const s of [overSocket, overHttp]) {
      expect(s.holds).toEqual([
        {
          holdId: held.data.holdId,
          eventId: seats.id,
          seats: held.data.seats,
          totalCents: held.data.totalCents,
          expiresAt: held.data.expiresAt,
          origin: 'buyer',
        },
      ]);
      expect(s.waitlists).toEqual([]);
      expect(s.queues).toContainEqual({
        eventId: room.id,
        state: 'waiting',
        position: 1,
        ahead: 0,
        etaSeconds: expect.any(Number),
      });
      expect(s.queues).toContainEqual({
        eventId: seats.id,
        state: 'admitted',
        admissionToken: buyer.admissionToken,
        expiresAt: expect.any(String),
      });
      expect(new Date(s.at).getTime()).toBeLessThan(new Date(held.data.expiresAt).getTime());
    }
    // Another user sees none of it (and the first one's admission is theirs alone).
    const stranger = await stateOverHttp(url(0), (await registerUser(url(0))).accessToken);
    expect(stranger).toMatchObject({ holds: [], waitlists: [], queues: [] });
    const firstState = await stateOverSocket(first);
    expect(firstState.holds).toEqual([]);
    expect(firstState.queues.map((q) => [q.eventId, q.state])).toEqual([[room.id, 'admitted']]);
  });

  it('never moves a hold expiry later: a replayed hold, reconnects and reads all keep it', async () => {
    const ev = await createTestEvent(url(0), adminToken, { admission: OPEN_ADMISSION, holdTtlSeconds: 600 });
    const buyer = await admittedUser(url(0), ev.id);
    const payload = { eventId: ev.id, admissionToken: buyer.admissionToken, idempotencyKey: randomUUID(), quantity: 1 };
    const held = await buyer.client.seatsHold(payload);
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    await new Promise((r) => setTimeout(r, 1100));
    const again = await (await connectClient(url(1), buyer.accessToken)).seatsHold(payload);
    expect(again.ok && again.data.expiresAt).toBe(held.data.expiresAt);
    for (let i = 0; i < 3; i++) {
      const s = await stateOverHttp(url(i % 2), buyer.accessToken);
      expect(s.holds.map((h) => h.expiresAt)).toEqual([held.data.expiresAt]);
    }
  });

  it('lists an open waitlist offer as a hold of origin waitlist, and a waiting entry with its place', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 600,
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }],
    });
    const seller = await admittedUser(url(0), ev.id);
    const held = await seller.client.seatsHold({
      eventId: ev.id,
      admissionToken: seller.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 2,
    });
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    const fan = await registerUser(url(1));
    const later = await registerUser(url(1));
    for (const who of [fan, later]) {
      const r = await http(url(1), 'POST', `/api/events/${ev.id}/waitlist`, { token: who.accessToken, body: { quantity: 1 } });
      expect(r.status).toBe(201);
    }
    const waiting = await stateOverHttp(url(0), later.accessToken);
    expect(waiting.waitlists).toEqual([{ eventId: ev.id, position: 2, quantity: 1 }]);
    await seller.client.queueLeave({ eventId: ev.id });
    expect((await seller.client.holdRelease({ holdId: held.data.holdId })).ok).toBe(true);
    const offered = await waitUntil('the waitlist offer', async () => {
      const s = await stateOverHttp(url(1), fan.accessToken);
      return s.holds.length > 0 ? s : null;
    });
    expect(offered.holds).toHaveLength(1);
    expect(offered.holds[0]).toMatchObject({ eventId: ev.id, origin: 'waitlist', totalCents: 1000 });
    expect(offered.holds[0]?.seats).toHaveLength(1);
    expect(offered.waitlists).toEqual([]);
  });

  it('during expiry never lists a hold whose time is up', async () => {
    const ev = await createTestEvent(url(0), adminToken, { admission: OPEN_ADMISSION, holdTtlSeconds: 5 });
    const buyer = await admittedUser(url(0), ev.id);
    const held = await buyer.client.seatsHold({
      eventId: ev.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 3,
    });
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    const expiresAtMs = new Date(held.data.expiresAt).getTime();
    const readers = await Promise.all([0, 1].map((i) => connectClient(url(i), buyer.accessToken)));
    let listed = 0;
    let after = 0;
    // Read from both gateways, over and past the expiry, until the seats are back on sale.
    for (;;) {
      const states = await Promise.all(readers.map(stateOverSocket));
      for (const s of states) {
        const at = new Date(s.at).getTime();
        for (const h of s.holds) expect(new Date(h.expiresAt).getTime()).toBeGreaterThan(at);
        if (s.holds.length > 0) listed += 1;
        if (at >= expiresAtMs) {
          after += 1;
          expect(s.holds).toEqual([]);
        }
      }
      if (after >= 20) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(listed).toBeGreaterThan(10);
    // The sweep ended it meanwhile: its seats are on sale again, and it is still not listed.
    await waitUntil('the seats back on sale', async () => {
      const s = await readers[0]?.seatsSubscribe({ eventId: ev.id });
      return s?.ok && s.data.seats.every((seat) => seat.status === 'available');
    });
    expect((await stateOverSocket(readers[1] as Awaited<ReturnType<typeof connectClient>>)).holds).toEqual([]);
  }, 30_000);

  it('answers UNAUTHENTICATED without a user and VALIDATION_FAILED for a payload', async () => {
    const anon = await connectClient(url(0));
    const r = await anon.meState({});
    expect(!r.ok && r.error.code).toBe('UNAUTHENTICATED');
    expect((await http(url(0), 'GET', '/api/me/state')).status).toBe(401);
    const user = await connectClient(url(0), (await registerUser(url(0))).accessToken);
    const bad = await user.send('me:state', { userId: randomUUID() });
    expect(!bad.ok && bad.error.code).toBe('VALIDATION_FAILED');
    await admit(user, (await createTestEvent(url(0), adminToken, { admission: OPEN_ADMISSION })).id);
  });
});
