import { beforeAll, describe, expect, it } from 'vitest';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { staffUser } from '../support/staff-user.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ ANALYTICS_INTERVAL_MS: '300' });
  gw = await startGatewayProcess(t.env);
  await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

async function book(u: AdmittedUser, eventId: string, seatIds: string[], key: string) {
  const held = await u.client.seatsHold({ eventId, admissionToken: u.admissionToken, idempotencyKey: `h${key}`, seatIds });
  if (!held.ok) throw new Error(JSON.stringify(held.error));
  const done = await u.client.holdConfirm({ holdId: held.data.holdId, idempotencyKey: `c${key}`, payment: { method: 'mock' } });
  if (!done.ok) throw new Error(JSON.stringify(done.error));
}

describe('GET /api/admin/analytics reports', () => {
  it('registrations per day, active users, most booked events, capacity utilization', async () => {
    const org = await staffUser(gw.url, t.databaseUrl, 'organizer');
    const small = await createTestEvent(gw.url, org.accessToken, {
      name: 'Small',
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 4 }],
      admission: OPEN_ADMISSION,
    });
    const big = await createTestEvent(gw.url, adminToken, {
      name: 'Big',
      sections: [{ name: 'A', priceCents: 500, rows: 1, seatsPerRow: 10 }],
      admission: OPEN_ADMISSION,
    });
    const s = await seatIdsInOrder(t.databaseUrl, small.id);
    const b = await seatIdsInOrder(t.databaseUrl, big.id);
    const alice = await admittedUser(gw.url, small.id);
    const bob = await admittedUser(gw.url, small.id);
    await book(alice, small.id, [s[0] as string, s[1] as string], 'a1');
    await book(bob, small.id, [s[2] as string], 'b1');
    const bobBig = await admittedUser(gw.url, big.id);
    await book(bobBig, big.id, [b[0] as string], 'b2');
    const carol = await admittedUser(gw.url, big.id);
    const held = await carol.client.seatsHold({
      eventId: big.id,
      admissionToken: carol.admissionToken,
      idempotencyKey: 'c-hold',
      seatIds: [b[5] as string],
    });
    expect(held.ok).toBe(true);

    const report = await waitUntil(
      'the roll-up of three bookings',
      async () => {
        const res = await http(gw.url, 'GET', '/api/admin/analytics', { token: adminToken });
        return res.status === 200 && res.body.bookings >= 3 ? res.body : null;
      },
      60_000,
      250,
    );
    const today = new Date().toISOString().slice(0, 10);
    const [registered] = await dbQuery(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM users WHERE to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') = $1`,
      [today],
    );
    expect(report.reports.registrationsPerDay).toContainEqual({ day: today, registrations: registered.n });
    // alice, bob (twice: two accounts) and carol held or booked; the organizer and admin did not.
    expect(report.reports.activeUsers).toBe(4);
    expect(report.reports.mostBooked.map((e: any) => [e.name, e.bookings])).toEqual([
      ['Small', 2],
      ['Big', 1],
    ]);
    expect(report.reports.capacityUtilization).toEqual({
      capacity: 14,
      sold: 4,
      ratio: 0.2857,
      events: [
        { eventId: small.id, name: 'Small', capacity: 4, sold: 3, ratio: 0.75 },
        { eventId: big.id, name: 'Big', capacity: 10, sold: 1, ratio: 0.1 },
      ],
    });
    expect(report.daily.find((d: any) => d.day === today)).toMatchObject({ bookings: 3, revenueCents: 3500 });
    expect(report.cancellationRate).toBe(0);

    // The organizer sees its own event only, and no platform-wide registrations.
    const own = await http(gw.url, 'GET', `/api/admin/analytics?eventId=${small.id}`, { token: org.accessToken });
    expect(own.status).toBe(200);
    expect(own.body.reports).toMatchObject({
      registrationsPerDay: null,
      activeUsers: 2,
      mostBooked: [{ eventId: small.id, bookings: 2 }],
      capacityUtilization: { capacity: 4, sold: 3, ratio: 0.75 },
    });
    const theirs = await http(gw.url, 'GET', `/api/admin/analytics?eventId=${big.id}`, { token: org.accessToken });
    expect(theirs.status).toBe(403);
    // Its "all events": its own together, no one else's, and no platform-wide live snapshot.
    const all = await http(gw.url, 'GET', '/api/admin/analytics', { token: org.accessToken });
    expect(all.status).toBe(200);
    expect(all.body.events.map((e: any) => e.eventId)).toEqual([small.id]);
    expect(all.body).toMatchObject({ bookings: 2, revenueCents: 3000, live: null });
    expect(all.body.reports).toMatchObject({
      registrationsPerDay: null,
      activeUsers: 2,
      mostBooked: [{ eventId: small.id, bookings: 2 }],
      capacityUtilization: { capacity: 4, sold: 3 },
    });
    const bad = await http(gw.url, 'GET', '/api/admin/analytics?from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z', {
      token: adminToken,
    });
    expect(bad.status).toBe(400);
  });
});
