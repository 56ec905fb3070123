import { beforeAll, describe, expect, it } from 'vitest';
import { type AdmittedUser, admit, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

async function book(u: AdmittedUser, eventId: string, seatIds: string[]) {
  const held = await u.client.seatsHold({
    eventId,
    admissionToken: u.admissionToken,
    idempotencyKey: `h-${seatIds[0]}`,
    seatIds,
  });
  if (!held.ok) throw new Error(JSON.stringify(held.error));
  const confirmed = await u.client.holdConfirm({
    holdId: held.data.holdId,
    idempotencyKey: `c-${seatIds[0]}`,
    payment: { method: 'mock' },
  });
  if (!confirmed.ok) throw new Error(JSON.stringify(confirmed.error));
  return confirmed.data;
}

describe('refund policy of booking:cancel', () => {
  it("refunds the event's refundPercent of the price, rounded down", async () => {
    const ev = await createTestEvent(gw.url, adminToken, {
      refundPercent: 50,
      sections: [{ name: 'A', priceCents: 999, rows: 1, seatsPerRow: 4 }],
      admission: OPEN_ADMISSION,
    });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const u = await admittedUser(gw.url, ev.id);
    const booking = await book(u, ev.id, seats.slice(0, 3));
    expect(booking.totalCents).toBe(2997);
    const cancelled = await u.client.bookingCancel({ bookingId: booking.bookingId });
    expect(cancelled).toEqual({ ok: true, data: { bookingId: booking.bookingId, status: 'cancelled', refundCents: 1498 } });
    const [row] = await dbQuery(t.databaseUrl, 'SELECT status, refund_cents FROM bookings WHERE id = $1', [booking.bookingId]);
    expect(row).toEqual({ status: 'cancelled', refund_cents: 1498 });
    const free = await dbQuery(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'available'`,
      [ev.id],
    );
    expect(free[0].n).toBe(4);
  });

  it('refunds nothing at refundPercent 0 and everything by default', async () => {
    for (const [percent, expected] of [
      [0, 0],
      [undefined, 1000],
    ] as const) {
      const ev = await createTestEvent(gw.url, adminToken, {
        ...(percent === undefined ? {} : { refundPercent: percent }),
        sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 1 }],
        admission: OPEN_ADMISSION,
      });
      const u = await admittedUser(gw.url, ev.id);
      const booking = await book(u, ev.id, await seatIdsInOrder(t.databaseUrl, ev.id));
      const cancelled = await u.client.bookingCancel({ bookingId: booking.bookingId });
      expect(cancelled.ok && cancelled.data.refundCents).toBe(expected);
    }
  });

  it('is FORBIDDEN once the event has started and changes nothing', async () => {
    const startsAt = new Date(Date.now() + 12_000);
    const ev = await createTestEvent(gw.url, adminToken, {
      startsAt: startsAt.toISOString(),
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }],
      admission: OPEN_ADMISSION,
    });
    const u = await admittedUser(gw.url, ev.id);
    const booking = await book(u, ev.id, await seatIdsInOrder(t.databaseUrl, ev.id));
    await waitUntil('the event to start', () => Date.now() > startsAt.getTime() + 200, 30_000);
    const refused = await u.client.bookingCancel({ bookingId: booking.bookingId });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ code: 'FORBIDDEN', retryable: false });
    const [row] = await dbQuery(t.databaseUrl, 'SELECT status, refund_cents FROM bookings WHERE id = $1', [booking.bookingId]);
    expect(row).toEqual({ status: 'confirmed', refund_cents: null });
    const sold = await dbQuery(t.databaseUrl, `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'sold'`, [
      ev.id,
    ]);
    expect(sold[0].n).toBe(2);
  });
});

describe('bookings over HTTP: GET /api/me/bookings[/:id]', () => {
  it("pages the user's bookings newest first with the event name and start, and shows one by id", async () => {
    const evA = await createTestEvent(gw.url, adminToken, { name: 'Opera A', refundPercent: 40, admission: OPEN_ADMISSION });
    const evB = await createTestEvent(gw.url, adminToken, { name: 'Opera B', admission: OPEN_ADMISSION });
    const seatsA = await seatIdsInOrder(t.databaseUrl, evA.id);
    const seatsB = await seatIdsInOrder(t.databaseUrl, evB.id);
    const u = await admittedUser(gw.url, evA.id);
    const inB = { ...u, admissionToken: await admit(u.client, evB.id) };
    const first = await book(u, evA.id, [seatsA[0] as string]);
    const second = await book(inB, evB.id, [seatsB[0] as string, seatsB[1] as string]);
    // A confirm ends the admission session: buying again means joining the waiting room again.
    const third = await book({ ...u, admissionToken: await admit(u.client, evA.id) }, evA.id, [seatsA[5] as string]);
    const cancelled = await u.client.bookingCancel({ bookingId: first.bookingId });
    expect(cancelled.ok).toBe(true);

    const page1 = await http(gw.url, 'GET', '/api/me/bookings?limit=2', { token: u.accessToken });
    expect(page1.status).toBe(200);
    expect(page1.body.map((b: any) => b.bookingId)).toEqual([third.bookingId, second.bookingId]);
    expect(page1.body[1]).toMatchObject({
      eventId: evB.id,
      eventName: 'Opera B',
      eventStartsAt: evB.startsAt,
      totalCents: 10_000,
      status: 'confirmed',
      refundCents: null,
      cancelledAt: null,
      reference: second.reference,
    });
    expect(page1.body[1].seats.map((s: any) => s.id)).toEqual([seatsB[0], seatsB[1]]);
    const next = /^<([^>]+)>; rel="next"$/.exec(page1.headers.get('link') ?? '')?.[1] as string;
    expect(next).toContain('limit=2');
    const page2 = await http(gw.url, 'GET', next, { token: u.accessToken });
    expect(page2.body.map((b: any) => b.bookingId)).toEqual([first.bookingId]);
    expect(page2.body[0]).toMatchObject({ status: 'cancelled', refundCents: 2000, eventName: 'Opera A' });
    expect(Date.parse(page2.body[0].cancelledAt)).not.toBeNaN();
    expect(page2.headers.get('link')).toBeNull();

    const one = await http(gw.url, 'GET', `/api/me/bookings/${second.bookingId}`, { token: u.accessToken });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(page1.body[1]);
    // The socket and HTTP agree on what a booking is.
    const socketList = await u.client.bookingList({});
    expect(socketList.ok && socketList.data.bookings.map((b) => b.bookingId)).toEqual([
      third.bookingId,
      second.bookingId,
      first.bookingId,
    ]);
  });

  it("answers 404 BOOKING_NOT_FOUND for others' and missing bookings, and refuses bad input", async () => {
    const ev = await createTestEvent(gw.url, adminToken, { admission: OPEN_ADMISSION });
    const owner = await admittedUser(gw.url, ev.id);
    const booking = await book(owner, ev.id, [(await seatIdsInOrder(t.databaseUrl, ev.id))[0] as string]);
    const other = await admittedUser(gw.url, ev.id);
    const theirs = await http(gw.url, 'GET', `/api/me/bookings/${booking.bookingId}`, { token: other.accessToken });
    expect([theirs.status, theirs.body.error.code]).toEqual([404, 'BOOKING_NOT_FOUND']);
    const missing = await http(gw.url, 'GET', '/api/me/bookings/00000000-0000-4000-8000-000000000000', {
      token: owner.accessToken,
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'BOOKING_NOT_FOUND']);
    expect((await http(gw.url, 'GET', '/api/me/bookings', { token: other.accessToken })).body).toEqual([]);
    expect((await http(gw.url, 'GET', '/api/me/bookings')).status).toBe(401);
    expect((await http(gw.url, 'GET', `/api/me/bookings/${booking.bookingId}`)).status).toBe(401);
    expect((await http(gw.url, 'GET', '/api/me/bookings', { token: 'forged.token.here' })).status).toBe(401);
    for (const path of [
      '/api/me/bookings/not-a-uuid',
      '/api/me/bookings?limit=0',
      '/api/me/bookings?limit=201',
      '/api/me/bookings?cursor=abc',
      '/api/me/bookings?userId=x',
    ]) {
      const res = await http(gw.url, 'GET', path, { token: owner.accessToken });
      expect([path, res.status, res.body?.error?.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
    }
  });
});
