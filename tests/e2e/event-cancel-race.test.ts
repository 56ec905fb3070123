import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { admitRacers } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gateways: StartedProcess[];

beforeAll(async () => {
  t = await createTestEnv();
  gateways = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
});

describe('an admin cancelling an event while buyers hold and confirm', () => {
  it('leaves no live hold, no confirmed booking and no taken seat behind, and refunds every booking', async () => {
    const urls = gateways.map((g) => g.url);
    const adminToken = (await loginAdmin(urls[0] as string)).accessToken;
    const event = await createTestEvent(urls[0] as string, adminToken, {
      admission: OPEN_ADMISSION,
      maxSeatsPerUser: 4,
      sections: [{ name: 'A', priceCents: 1000, rows: 10, seatsPerRow: 20 }],
    });
    const racers = await admitRacers(t.databaseUrl, t.config.jwtAccessSecret, urls, event.id, 150);

    // Every buyer holds two seats and confirms at once; the cancellation lands in the middle.
    const buying = racers.map(async (r) => {
      const held = await r.client.seatsHold({
        eventId: event.id,
        admissionToken: r.admissionToken,
        idempotencyKey: randomUUID(),
        quantity: 2,
      });
      if (!held.ok) return held.error.code;
      const confirmed = await r.client.holdConfirm({
        holdId: held.data.holdId,
        idempotencyKey: randomUUID(),
        payment: { method: 'mock' },
      });
      return confirmed.ok ? 'confirmed' : confirmed.error.code;
    });
    await new Promise((r) => setTimeout(r, 30));
    const cancelled = await http(urls[1] as string, 'DELETE', `/api/admin/events/${event.id}`, { token: adminToken });
    expect(cancelled.status).toBe(200);
    const outcomes = await Promise.all(buying);
    // Whatever each buyer saw, the cancellation wins in Postgres.
    for (const o of outcomes)
      expect([
        'confirmed',
        'SALE_NOT_OPEN',
        'HOLD_NOT_FOUND',
        'HOLD_EXPIRED',
        'SEAT_UNAVAILABLE',
        'SOLD_OUT',
        'CONFLICT',
      ]).toContain(o);

    const [state] = await dbQuery<{ live: number; confirmed: number; taken: number; unrefunded: number }>(
      t.databaseUrl,
      `SELECT (SELECT count(*)::int FROM holds WHERE event_id = $1 AND status = 'active') AS live,
              (SELECT count(*)::int FROM bookings WHERE event_id = $1 AND status = 'confirmed') AS confirmed,
              (SELECT count(*)::int FROM seats WHERE event_id = $1 AND status <> 'available') AS taken,
              (SELECT count(*)::int FROM bookings WHERE event_id = $1 AND refund_cents IS DISTINCT FROM total_cents) AS unrefunded`,
      [event.id],
    );
    expect(state).toEqual({ live: 0, confirmed: 0, taken: 0, unrefunded: 0 });
    const after = await racers[0]?.client.seatsHold({
      eventId: event.id,
      admissionToken: racers[0].admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 1,
    });
    expect(after?.ok === false && after.error.code).toMatch(/SALE_NOT_OPEN|NOT_ADMITTED/);
    await checkInvariants(t.databaseUrl);
  });
});
