import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { type RedisServer, startRedisServer } from '../support/redis-server.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';
import { type BuyerLog, runBuyer } from './buyer.js';

const BUYERS = 120;
/**
 * Buyers who arrive together right after the restart: more than MAX_ACTIVE at once, so some
 * must wait and only an admission tick can let them in (the buyers from before the outage come
 * back one by one, as their retries run out, and a fast hold path serves each before the next).
 */
const LATE_BUYERS = 40;
const SEATS = 200;
const MAX_ACTIVE = 15;
/** Redis stays away this long: long enough for every kind of command to meet the outage. */
const OUTAGE_MS = 5000;

let redis: RedisServer;
let t: TestEnv;
let gateways: StartedProcess[];
let worker: StartedProcess;

beforeAll(async () => {
  redis = await startRedisServer();
  t = await createTestEnv({
    REDIS_URL: redis.url,
    ADMISSION_RECONCILE_MS: '200',
    QUEUE_POSITION_PUSH_MS: '300',
    SCHEDULER_REASSERT_MS: '500',
    REDIS_COMMAND_TIMEOUT_MS: '1000',
    HOLD_SWEEP_CRON: '*/2 * * * * *',
  });
  [worker, ...gateways] = await Promise.all([startWorkerProcess(t.env), startGatewayProcess(t.env), startGatewayProcess(t.env)]);
});
afterAll(async () => {
  await Promise.all([worker, ...gateways].map((p) => p?.stop()));
});

describe('Redis killed and restarted empty in the middle of a sale', () => {
  it('the sale finishes, acknowledged bookings stay, no seat is sold twice, admissions resume', async () => {
    const admin = await loginAdmin(gateways[0]!.url);
    const ev = await createTestEvent(gateways[0]!.url, admin.accessToken, {
      sections: [{ name: 'A', priceCents: 3000, rows: 10, seatsPerRow: 20 }],
      admission: { maxActive: MAX_ACTIVE, admitPerTick: 5, tickMs: 100, sessionTtlSeconds: 120 },
    });
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, BUYERS + LATE_BUYERS + 1);
    const clients = await Promise.all(users.map((u, i) => connectClient(gateways[i % 2]!.url, u.accessToken)));
    const probe = clients.pop()!;
    const late = clients.splice(BUYERS, LATE_BUYERS);
    const soldNow = async () =>
      (
        await dbQuery<{ n: number }>(
          t.databaseUrl,
          `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'sold'`,
          [ev.id],
        )
      )[0]!.n;
    let over = false;
    const deadline = Date.now() + 150_000;
    const buyers = clients.map((c, i) => runBuyer(c, ev.id, 2 + (i % 2), { deadline, isOver: () => over }));

    // Mid-sale: about a third sold.
    await waitUntil('a third of the seats sold', async () => (await soldNow()) >= SEATS / 3, 90_000, 100);
    const soldBefore = await soldNow();
    const killedAt = Date.now();
    await redis.kill();

    // While Redis is away a command is answered (retryable), not parked until it returns.
    const during = await probe.queueStatus({ eventId: ev.id }, { timeoutMs: OUTAGE_MS });
    const answeredAfterMs = Date.now() - killedAt;
    expect(during.ok).toBe(false);
    if (!during.ok) expect(during.error.retryable).toBe(true);
    expect(answeredAfterMs, 'answered while Redis was still away').toBeLessThan(OUTAGE_MS);
    await new Promise((r) => setTimeout(r, Math.max(0, OUTAGE_MS - (Date.now() - killedAt))));

    await redis.start();
    const restartedAt = Date.now();
    // The waiting room starts from nothing: whoever asks is told so, and may join again.
    const after = await waitUntil(
      'queue:status answers after the restart',
      async () => {
        const s = await probe.queueStatus({ eventId: ev.id }).catch(() => null);
        return s?.ok ? s : null;
      },
      30_000,
      100,
    );
    expect(after.data).toEqual({ state: 'none' });
    buyers.push(...late.map((c, i) => runBuyer(c, ev.id, 2 + (i % 2), { deadline, isOver: () => over })));

    const sold = await waitUntil('every seat sold', async () => (await soldNow()) === SEATS, 120_000, 200);
    over = true;
    const logs: BuyerLog[] = await Promise.all(buyers);

    const acked = logs.flatMap((l) => l.bookings);
    const ackedSeats = acked.flatMap((b) => b.seatIds);
    const firstAdmissionAfter = Math.min(...logs.flatMap((l) => l.admittedAt.filter((at) => at > restartedAt)));
    const firstTickAdmissionAfter = Math.min(...logs.flatMap((l) => l.tickAdmittedAt.filter((at) => at > restartedAt)));
    const firstBookingAfter = Math.min(...acked.filter((b) => b.at > restartedAt).map((b) => b.at));
    const rows = await dbQuery<{ id: string; status: string; seats: string[] }>(
      t.databaseUrl,
      `SELECT b.id, b.status, array_agg(bs.seat_id::text ORDER BY bs.seat_id) AS seats
         FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id WHERE b.event_id = $1 GROUP BY b.id`,
      [ev.id],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const report = {
      soldBeforeKill: soldBefore,
      bookingsAcked: acked.length,
      seatsAcked: ackedSeats.length,
      bookingsInDb: rows.length,
      lost: acked.filter((b) => byId.get(b.bookingId)?.status !== 'confirmed').length,
      duplicateSeats: ackedSeats.length - new Set(ackedSeats).size,
      commandDuringOutageAnsweredMs: answeredAfterMs,
      firstAdmissionAfterRestartMs: firstAdmissionAfter - restartedAt,
      firstTickAdmissionAfterRestartMs: firstTickAdmissionAfter - restartedAt,
      firstBookingAfterRestartMs: firstBookingAfter - restartedAt,
      errors: logs.reduce<Record<string, number>>((all, l) => {
        for (const [k, v] of Object.entries(l.errors)) all[k] = (all[k] ?? 0) + v;
        return all;
      }, {}),
    };
    console.log(`redis restart chaos: ${JSON.stringify(report)}`);

    expect(sold).toBe(true);
    expect(report.lost, 'every acknowledged booking is confirmed in Postgres').toBe(0);
    for (const b of acked) expect(byId.get(b.bookingId)?.seats).toEqual([...b.seatIds].sort());
    expect(report.duplicateSeats, 'no seat acknowledged twice').toBe(0);
    expect(Number.isFinite(firstAdmissionAfter), 'admissions resumed after the restart').toBe(true);
    expect(Number.isFinite(firstTickAdmissionAfter), 'admission ticks resumed after the restart').toBe(true);
    expect(Number.isFinite(firstBookingAfter), 'bookings resumed after the restart').toBe(true);
    await checkInvariants(t.databaseUrl);
    // The processes rode it out.
    for (const p of [worker, ...gateways]) expect(p.child.exitCode).toBeNull();
  }, 240_000);
});
