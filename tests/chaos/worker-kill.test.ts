import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '../../core/db/pool.js';
import { decodeSessionRecord, endAdmissionSession } from '../../core/use-cases/waiting-room/admission-session.js';
import { joinQueue } from '../../core/use-cases/waiting-room/join-queue.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectAdmin } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { admitRacers } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Workers SIGKILLed while they work: mid admission ticks (ticks every 100 ms, so a kill lands in
 * or between them) and mid expiry pass (hundreds of holds overdue at once, expired one
 * transaction each). Admissions and expiry carry on in the survivors and the replacements;
 * nobody is admitted beyond maxActive or out of order, and no hold is lost or ended twice.
 */
let t: TestEnv;
let gateway: StartedProcess;
const workers: StartedProcess[] = [];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({
    QUEUE_POSITION_PUSH_MS: '200',
    ADMISSION_RECONCILE_MS: '200',
    HOLD_SWEEP_CRON: '*/1 * * * * *',
  });
  const [gw, ...ws] = await Promise.all([
    startGatewayProcess(t.env, 90_000),
    startWorkerProcess(t.env, 90_000),
    startWorkerProcess(t.env, 90_000),
  ]);
  gateway = gw!;
  workers.push(...ws);
  adminToken = (await loginAdmin(gateway.url)).accessToken;
}, 180_000);
afterAll(async () => {
  await Promise.all([gateway, ...workers].map((p) => p?.stop()));
});

/**
 * SIGKILLs the oldest live worker and starts a replacement, which joins while the others run;
 * resolves once the victim is dead (the replacement's start is awaited via `starting`).
 */
const starting: Promise<void>[] = [];
async function killAndReplaceWorker(): Promise<void> {
  const victim = workers.shift();
  await victim?.kill();
  starting.push(startWorkerProcess(t.env, 90_000).then((w) => void workers.push(w)));
}

describe('workers SIGKILLed mid-work', () => {
  it('mid admission ticks: admissions go on, in order, never beyond maxActive', async () => {
    // About 100 admissions a second: a sale of half a minute, long enough for each killed
    // worker's replacement to start before the next kill.
    const USERS = 3000;
    const MAX_ACTIVE = 60;
    const KILLS = 2;
    const probe = createQueueProbe(t.config);
    const pool = createPool(t.databaseUrl, 2);
    const deps = {
      pool,
      redis: probe.redis,
      keys: probe.keys,
      admissionTokenSecret: t.config.admissionTokenSecret,
      challenge: t.config.challenge,
    };
    const ev = await createTestEvent(gateway.url, adminToken, {
      admission: { maxActive: MAX_ACTIVE, admitPerTick: 10, tickMs: 100, sessionTtlSeconds: 600 },
    });
    const eventId = ev.id;
    const admin = await connectAdmin(gateway.url, adminToken);
    await admin.queueControl({ eventId, action: 'pause' });
    const joinOrder: string[] = [];
    for (let i = 0; i < USERS; i++) {
      const userId = randomUUID();
      joinOrder.push(userId);
      await joinQueue(deps, eventId, userId, new Date());
    }
    await admin.queueControl({ eventId, action: 'resume' });

    const sessionOf = new Map<string, number>();
    const issuedAt: number[] = [];
    let maxSeen = 0;
    let kills = 0;
    let longestStallMs = 0;
    let lastProgressAt = Date.now();
    const deadline = Date.now() + 240_000;
    while (sessionOf.size < USERS) {
      if (Date.now() > deadline) throw new Error(`only ${sessionOf.size} of ${USERS} admitted`);
      const sessions = await probe.sessions(eventId);
      maxSeen = Math.max(maxSeen, await probe.activeCount(eventId), Object.keys(sessions).length);
      const fresh = Object.entries(sessions).filter(([userId]) => !sessionOf.has(userId));
      for (const [userId, raw] of fresh) {
        const record = decodeSessionRecord(raw);
        sessionOf.set(userId, Number(record?.sessionId));
        issuedAt.push(Number(record?.issuedAtSec));
      }
      if (fresh.length > 0) {
        longestStallMs = Math.max(longestStallMs, Date.now() - lastProgressAt);
        lastProgressAt = Date.now();
      }
      // Everyone admitted checks out at once and frees the slot.
      await Promise.all(Object.keys(sessions).map((userId) => endAdmissionSession(deps, eventId, userId)));
      // A kill at each third of the sale, while ticks run every 100 ms on both workers; never
      // the last one alive (the previous replacement must be up).
      if (kills < KILLS && workers.length === 2 && sessionOf.size > ((kills + 1) * USERS) / (KILLS + 1)) {
        kills++;
        await killAndReplaceWorker();
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(starting);
    const admissionOrder = [...sessionOf].sort((a, b) => a[1] - b[1]).map(([userId]) => userId);
    // The longest pause between admissions as the admitters stamped them (seconds), whatever
    // this polling loop saw on a loaded machine.
    issuedAt.sort((a, b) => a - b);
    const longestGapSec = Math.max(...issuedAt.slice(1).map((at, i) => at - (issuedAt[i] as number)));
    console.log(
      `worker kill mid ticks: ${JSON.stringify({ users: USERS, kills, maxActiveSeen: maxSeen, longestStallMs, longestGapSec })}`,
    );
    expect(kills).toBe(KILLS);
    expect(admissionOrder).toEqual(joinOrder);
    expect(new Set(sessionOf.values()).size, 'one session per user').toBe(USERS);
    expect(maxSeen).toBeLessThanOrEqual(MAX_ACTIVE);
    expect(await probe.redis.zcard(probe.keys.queue(eventId))).toBe(0);
    await pool.end();
  }, 300_000);

  it('mid expiry pass: every overdue hold ends exactly once, its seats free again', async () => {
    const BUYERS = 150;
    const ev = await createTestEvent(gateway.url, adminToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 1000, rows: 15, seatsPerRow: 20 }],
    });
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [gateway.url], ev.id, BUYERS);
    const holds = await Promise.all(
      racers.map(async (r) => {
        const ack = await r.client.seatsHold(
          { eventId: ev.id, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity: 2 },
          { timeoutMs: 60_000 },
        );
        if (!ack.ok) throw new Error(JSON.stringify(ack.error));
        return ack.data.holdId;
      }),
    );
    const counts = async () =>
      (
        await dbQuery<{ active: number; expired: number; held: number }>(
          t.databaseUrl,
          `SELECT count(*) FILTER (WHERE status = 'active')::int AS active, count(*) FILTER (WHERE status = 'expired')::int AS expired,
                  (SELECT count(*)::int FROM seats WHERE event_id = $1 AND status = 'held') AS held
             FROM holds WHERE event_id = $1`,
          [ev.id],
        )
      )[0]!;
    // Every hold overdue at once: the next sweep (every second) expires them one transaction each.
    await dbQuery(t.databaseUrl, `UPDATE holds SET expires_at = now() - interval '1 second' WHERE event_id = $1`, [ev.id]);
    const atKill = await waitUntil(
      'the expiry pass under way',
      async () => {
        const c = await counts();
        return c.expired > 0 ? c : null;
      },
      60_000,
      5,
    );
    // Both workers sweep: kill one, then the other, mid-pass; replacements finish the work.
    await killAndReplaceWorker();
    await killAndReplaceWorker();
    await Promise.all(starting);
    const done = await waitUntil(
      'every hold expired',
      async () => {
        const c = await counts();
        return c.active === 0 ? c : null;
      },
      90_000,
      100,
    );
    console.log(`worker kill mid expiry: ${JSON.stringify({ holds: holds.length, expiredAtFirstKill: atKill.expired })}`);
    expect(done).toEqual({ active: 0, expired: BUYERS, held: 0 });
    const audit = await dbQuery<{ n: number; holds: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n, count(DISTINCT entity_id)::int AS holds FROM audit_log WHERE event_id = $1 AND action = 'hold.expired'`,
      [ev.id],
    );
    expect(audit[0], 'each hold expired once').toEqual({ n: BUYERS, holds: BUYERS });
    for (const r of racers) r.client.close();
    await checkInvariants(t.databaseUrl);
  }, 300_000);
});
