import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { type SentinelGroup, startSentinelGroup } from '../support/redis-sentinel.js';
import type { StartedProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';
import { checkAcknowledged, FAILOVER_TEST_ENV, runSale, startSaleProcesses } from './run-sale.js';
import { summarizeBuyers } from './summarize-buyers.js';

const BUYERS = 160;
const SEATS = 200;
/** People waiting in a second event's room that admits nobody: their places must survive. */
const WAITERS = 12;

let group: SentinelGroup;
let t: TestEnv;
let gateways: StartedProcess[];
let worker: StartedProcess;

beforeAll(async () => {
  group = await startSentinelGroup();
  t = await createTestEnv({
    ...FAILOVER_TEST_ENV,
    REDIS_URL: '',
    REDIS_SENTINELS: group.sentinels,
    REDIS_SENTINEL_NAME: group.name,
    REDIS_COMMAND_TIMEOUT_MS: '1000',
  });
  ({ worker, gateways } = await startSaleProcesses(t.env));
}, 180_000);
afterAll(async () => {
  await Promise.all([worker, ...(gateways ?? [])].map((p) => p?.stop()));
});

async function placeOf(client: EventlyClient, eventId: string): Promise<number | null | 'none' | 'admitted'> {
  const s = await client.queueStatus({ eventId }, { timeoutMs: 5000 });
  if (!s.ok) throw new Error(s.error.code);
  return s.data.state === 'waiting' ? s.data.position : s.data.state;
}

describe('the Redis master SIGKILLed mid-sale, a replica promoted by Sentinel', () => {
  it('oversells nothing, loses no acknowledged booking, resumes admissions and keeps replicated queue places', async () => {
    expect(t.config.redis.kind).toBe('sentinel');
    const admin = await loginAdmin(gateways[0]!.url);
    const ev = await createTestEvent(gateways[0]!.url, admin.accessToken, {
      sections: [{ name: 'A', priceCents: 3000, rows: 10, seatsPerRow: 20 }],
      admission: { maxActive: 30, admitPerTick: 10, tickMs: 100, sessionTtlSeconds: 120 },
    });
    // One admitted person who never leaves keeps this room full: everyone after them waits.
    const still = await createTestEvent(gateways[0]!.url, admin.accessToken, {
      sections: [{ name: 'B', priceCents: 1000, rows: 1, seatsPerRow: 10 }],
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, BUYERS + WAITERS + 1);
    const clients = await Promise.all(users.map((u, i) => connectClient(gateways[i % 2]!.url, u.accessToken)));
    const waiters = clients.splice(BUYERS);
    for (const w of waiters) {
      const joined = await w.queueJoin({ eventId: still.id });
      expect(joined.ok).toBe(true);
    }
    const waiting = waiters.slice(1);
    const sale = runSale(clients, ev.id, () => t.databaseUrl);

    await sale.untilSold(SEATS / 3);
    const placesBefore = await Promise.all(waiting.map((w) => placeOf(w, still.id)));
    // What the replica has at this instant is what a failover can keep: make that everything so far.
    group.syncReplica();
    const soldBefore = await sale.soldNow();
    const killedAt = Date.now();
    await group.killMaster();
    const promoted = await waitUntil(
      'a Sentinel names the replica as master',
      async () => group.masterNow() === group.replicaPort,
      30_000,
      100,
    );
    const promotedAt = Date.now();

    const { sold, logs } = await sale.finish(SEATS).catch((err: unknown) => {
      for (const p of [worker, ...gateways]) console.log(`process output (last 3000 characters): ${p.output().slice(-3000)}`);
      throw err;
    });
    const placesAfter = await Promise.all(waiting.map((w) => placeOf(w, still.id)));
    for (const c of [...clients, ...waiters]) c.close();

    const outcome = await checkAcknowledged(t.databaseUrl, ev.id, logs);
    const soldRows = (
      await dbQuery<{ sold: number; seats: number }>(
        t.databaseUrl,
        `SELECT count(*) FILTER (WHERE status = 'sold')::int AS sold, count(*)::int AS seats FROM seats WHERE event_id = $1`,
        [ev.id],
      )
    )[0]!;
    const firstAdmissionAfter = Math.min(...logs.flatMap((l) => l.admittedAt.filter((at) => at > promotedAt)));
    const firstTickAdmissionAfter = Math.min(...logs.flatMap((l) => l.tickAdmittedAt.filter((at) => at > promotedAt)));
    const firstHoldAfterKill = Math.min(...logs.flatMap((l) => l.heldAt.filter((at) => at > killedAt)));
    const report = {
      buyers: BUYERS,
      seats: SEATS,
      soldBeforeKill: soldBefore,
      sentinelPromotedAfterMs: promotedAt - killedAt,
      firstHoldAfterKillMs: firstHoldAfterKill - killedAt,
      firstAdmissionAfterPromotionMs: firstAdmissionAfter - promotedAt,
      firstTickAdmissionAfterPromotionMs: firstTickAdmissionAfter - promotedAt,
      bookingsAcked: outcome.acked.length,
      lost: outcome.lost,
      changed: outcome.changed,
      duplicateSeats: outcome.duplicateSeats,
      oversold: Math.max(0, outcome.acked.flatMap((b) => b.seatIds).length - soldRows.seats),
      placesBefore,
      placesAfter,
      ...summarizeBuyers(logs),
    };
    console.log(`redis sentinel failover chaos: ${JSON.stringify(report)}`);

    expect(promoted).toBe(true);
    expect(sold).toBe(true);
    expect(report.lost, 'every acknowledged booking is confirmed in Postgres').toBe(0);
    expect(report.changed, 'with the seats it was acknowledged with').toBe(0);
    expect(report.oversold).toBe(0);
    expect(report.duplicateSeats, 'no seat acknowledged twice').toBe(0);
    expect(soldRows.sold).toBe(SEATS);
    expect(Number.isFinite(firstAdmissionAfter), 'admissions resumed after the failover').toBe(true);
    expect(Number.isFinite(firstTickAdmissionAfter), 'admission ticks resumed after the failover').toBe(true);
    // Places the replica had (every one: WAIT before the kill) are the same places after it.
    expect(placesBefore.every((p) => typeof p === 'number')).toBe(true);
    expect(placesAfter).toEqual(placesBefore);
    await checkInvariants(t.databaseUrl);
    for (const p of [worker, ...gateways]) expect(p.child.exitCode, p.output().slice(-2000)).toBeNull();
  }, 240_000);
});
