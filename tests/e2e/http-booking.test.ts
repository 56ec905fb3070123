import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient, type EventlyHttpClient } from '../../core/contract/create-http-client.js';
import type { MyBooking } from '../../core/contract/my-bookings.js';
import { admit, OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * PROTOCOL v1.2 "Booking over HTTP": a buyer with no socket books end to end; HTTP and socket
 * commands of the same hold or the same seats race through two gateways and the rules hold.
 */
let t: TestEnv;
let gw: StartedProcess[];
let adminToken: string;
const url = (i: number) => (gw[i] as StartedProcess).url;

beforeAll(async () => {
  t = await createTestEnv();
  gw = [await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw1' }), await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw2' })];
  await startWorkerProcess({ ...t.env, INSTANCE_ID: 'worker1' });
  adminToken = (await loginAdmin(url(0))).accessToken;
}, 120_000);

const httpClient = (base: string, token: string): EventlyHttpClient => createHttpClient(base, () => token);
function must<T>(a: { ok: true; data: T } | { ok: false; error: unknown }): T {
  if (!a.ok) throw new Error(JSON.stringify(a.error));
  return a.data;
}

describe('booking over HTTP', () => {
  it('takes an HTTP-only buyer from the waiting room to a booking and a refund', async () => {
    const ev = await createTestEvent(url(0), adminToken, { admission: OPEN_ADMISSION, name: 'HTTP Night' });
    const session = await registerUser(url(0));
    const buyer = httpClient(url(0), session.accessToken);
    const joined = must(await buyer.queueJoin(ev.id));
    if (joined.state !== 'admitted') throw new Error('expected an admission');
    const status = await buyer.queueStatus(ev.id);
    expect(status.ok && status.data.state).toBe('admitted');

    const key = randomUUID();
    const body = { admissionToken: joined.admissionToken, quantity: 2 };
    const held = await buyer.seatsHold(ev.id, key, body);
    expect(held.status).toBe(201);
    const hold = must(held);
    // The same key answers the same reply, on the other gateway too; another body: CONFLICT.
    const again = await httpClient(url(1), session.accessToken).seatsHold(ev.id, key, body);
    expect(again.status).toBe(201);
    expect(must(again)).toEqual(hold);
    const reused = await buyer.seatsHold(ev.id, key, { ...body, quantity: 1 });
    expect([reused.status, !reused.ok && reused.error.code]).toEqual([409, 'CONFLICT']);
    const noKey = await http(url(0), 'POST', `/api/events/${ev.id}/holds`, { token: session.accessToken, body });
    expect([noKey.status, noKey.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);
    const smuggled = await http(url(0), 'POST', `/api/events/${ev.id}/holds`, {
      token: session.accessToken,
      body: { ...body, eventId: randomUUID() },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect([smuggled.status, smuggled.body.error.code]).toEqual([400, 'VALIDATION_FAILED']);

    const state = must(await buyer.meState());
    expect(state.holds).toEqual([{ ...hold, origin: 'buyer' }]);

    // Someone else cannot see, release or pay for it.
    const stranger = httpClient(url(1), (await registerUser(url(1))).accessToken);
    const release = await stranger.holdRelease(hold.holdId);
    expect([release.status, !release.ok && release.error.code]).toEqual([404, 'HOLD_NOT_FOUND']);
    const steal = await stranger.holdConfirm(hold.holdId, randomUUID(), { payment: { method: 'mock' } });
    expect(!steal.ok && steal.error.code).toBe('HOLD_NOT_FOUND');

    const paid = await buyer.holdConfirm(hold.holdId, randomUUID(), { payment: { method: 'mock' } });
    expect(paid.status).toBe(201);
    const booking = must(paid);
    expect(booking).toMatchObject({ status: 'confirmed', eventId: ev.id, totalCents: hold.totalCents });
    const mine = await http<MyBooking[]>(url(1), 'GET', '/api/me/bookings', { token: session.accessToken });
    expect(mine.body.map((b) => [b.bookingId, b.eventName])).toEqual([[booking.bookingId, 'HTTP Night']]);
    expect(must(await buyer.meState()).holds).toEqual([]);

    const theirs = await stranger.bookingCancel(booking.bookingId);
    expect([theirs.status, !theirs.ok && theirs.error.code]).toEqual([404, 'BOOKING_NOT_FOUND']);
    const cancelled = await buyer.bookingCancel(booking.bookingId);
    expect(cancelled.status).toBe(200);
    expect(must(cancelled)).toEqual({ bookingId: booking.bookingId, status: 'cancelled', refundCents: hold.totalCents });
    const left = await buyer.queueLeave(ev.id);
    expect(left.status).toBe(204);
    expect(must(await buyer.queueStatus(ev.id))).toEqual({ state: 'none' });
  });

  it('waits in line with refreshAfterMs, joins and leaves a waitlist', async () => {
    const room = await createTestEvent(url(0), adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 60_000, sessionTtlSeconds: 600 },
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 1 }],
    });
    const first = httpClient(url(0), (await registerUser(url(0))).accessToken);
    const firstIn = must(await first.queueJoin(room.id));
    if (firstIn.state !== 'admitted') throw new Error('expected an admission');
    const second = httpClient(url(1), (await registerUser(url(1))).accessToken);
    expect(must(await second.queueJoin(room.id))).toMatchObject({ state: 'waiting', position: 1 });
    const polled = must(await second.queueStatus(room.id));
    expect(polled).toMatchObject({ state: 'waiting', position: 1, refreshAfterMs: expect.any(Number) });
    expect((polled as { refreshAfterMs: number }).refreshAfterMs).toBeGreaterThanOrEqual(5000);
    // The only seat held: the event is sold out, and the second user may wait for it.
    must(await first.seatsHold(room.id, randomUUID(), { admissionToken: firstIn.admissionToken, quantity: 1 }));
    const joined = await second.waitlistJoin(room.id, { quantity: 1 });
    expect(joined.status).toBe(201);
    expect(must(joined)).toEqual({ eventId: room.id, position: 1, quantity: 1 });
    expect(must(await second.meState()).waitlists).toEqual([{ eventId: room.id, position: 1, quantity: 1 }]);
    expect((await second.waitlistLeave(room.id)).status).toBe(204);
    expect(must(await second.meState()).waitlists).toEqual([]);
  });

  it('confirms a hold once when HTTP on one gateway and a socket on the other pay for it at the same time', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 600,
      maxSeatsPerUser: 10,
      sections: [{ name: 'A', priceCents: 700, rows: 4, seatsPerRow: 10 }],
    });
    const [user] = await createBulkUsers(t.databaseUrl, t.config.jwtAccessSecret, 1);
    if (!user) throw new Error('no user');
    const socket = await connectClient(url(1), user.accessToken);
    const overHttp = httpClient(url(0), user.accessToken);
    for (let round = 0; round < 8; round++) {
      // Paying for one's last hold ends the admission: each round comes through the room again.
      const admission = await admit(socket, ev.id);
      const hold = must(
        await socket.seatsHold({ eventId: ev.id, admissionToken: admission, idempotencyKey: randomUUID(), quantity: 1 }),
      );
      // Even rounds: one key (a client retrying on the other transport); odd rounds: two keys.
      const keys: string[] = [randomUUID(), randomUUID()];
      if (round % 2 === 0) keys[1] = keys[0] as string;
      const payment = { method: 'mock' as const };
      const [viaHttp, viaSocket] = await Promise.all([
        overHttp.holdConfirm(hold.holdId, keys[0] as string, { payment }),
        socket.holdConfirm({ holdId: hold.holdId, idempotencyKey: keys[1] as string, payment }),
      ]);
      const bookings = await dbQuery(t.databaseUrl, 'SELECT id FROM bookings WHERE hold_id = $1', [hold.holdId]);
      expect(bookings).toHaveLength(1);
      const answers = [viaHttp, viaSocket];
      const won = answers.filter((a) => a.ok);
      expect(won.length).toBeGreaterThanOrEqual(1);
      for (const a of won) expect(a.ok && a.data.bookingId).toBe(bookings[0].id);
      for (const a of answers.filter((x) => !x.ok)) {
        // The loser of two different keys: the hold is no longer there to pay for.
        expect(round % 2, JSON.stringify(a)).toBe(1);
        expect(['CONFLICT', 'HOLD_NOT_FOUND']).toContain(!a.ok && a.error.code);
      }
      if (round % 2 === 0) expect(won).toHaveLength(2);
    }
    await checkInvariants(t.databaseUrl);
  });

  it('never holds a seat twice when HTTP and socket buyers on two gateways want the same seats', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 600,
      maxSeatsPerUser: 6,
      sections: [{ name: 'A', priceCents: 100, rows: 1, seatsPerRow: 8 }],
    });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const users = await createBulkUsers(t.databaseUrl, t.config.jwtAccessSecret, 40);
    const attempts = await Promise.all(
      users.map(async (u, i) => {
        const want = [seats[i % 8], seats[(i * 3 + 1) % 8]].filter((s, j, a) => a.indexOf(s) === j) as string[];
        if (i % 2 === 0) {
          const c = httpClient(url(0), u.accessToken);
          const joined = must(await c.queueJoin(ev.id));
          if (joined.state !== 'admitted') throw new Error('expected an admission');
          const r = await c.seatsHold(ev.id, randomUUID(), { admissionToken: joined.admissionToken, seatIds: want });
          return r.ok ? r.data.seats.map((s) => s.id) : r.error.code;
        }
        const socket = await connectClient(url(1), u.accessToken);
        const admission = await admit(socket, ev.id);
        const r = await socket.seatsHold({
          eventId: ev.id,
          admissionToken: admission,
          idempotencyKey: randomUUID(),
          seatIds: want,
        });
        return r.ok ? r.data.seats.map((s) => s.id) : r.error.code;
      }),
    );
    const won = attempts.filter((a): a is string[] => Array.isArray(a)).flat();
    expect(won.length).toBeGreaterThan(0);
    expect(new Set(won).size).toBe(won.length);
    for (const a of attempts) if (!Array.isArray(a)) expect(['SEAT_UNAVAILABLE', 'OVERLOADED']).toContain(a);
    const held = await dbQuery(t.databaseUrl, "SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'held'", [
      ev.id,
    ]);
    expect(held[0].n).toBe(won.length);
    await checkInvariants(t.databaseUrl);
  });
});
