import { beforeAll, describe, expect, it } from 'vitest';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
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
