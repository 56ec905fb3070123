import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HoldPayload } from '../../core/contract/commands.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { admitRacers } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth, type TestEnv } from '../support/test-env.js';

let t: TestEnv;

beforeAll(async () => {
  t = await createTestEnv({ PG_POOL_SIZE: '10' });
  await startWorkerProcess(t.env);
});

/** Sum and count of the batch-size histogram a gateway exposes. */
async function batchSizes(url: string): Promise<{ sum: number; count: number; max: number }> {
  const text = (await http<string>(url, 'GET', '/metrics', { headers: metricsAuth })).body;
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  // The largest bucket bound below which not every batch fell: a lower bound of the largest batch.
  let max = 0;
  const count = value('evently_hold_batch_size_count');
  for (const m of text.matchAll(/^evently_hold_batch_size_bucket\{le="([^"]+)"[^}]*\} (\S+)$/gm)) {
    if (m[1] !== '+Inf' && Number(m[2]) < count) max = Math.max(max, Number(m[1]));
  }
  return { sum: value('evently_hold_batch_size_sum'), count, max };
}

describe('group commit of seats:hold', () => {
  it('per-user limit holds across two gateways when one user fires holds at both at once', async () => {
    const gateways = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
    try {
      const urls = gateways.map((g) => g.url);
      const admin = await loginAdmin(urls[0] as string);
      const ev = await createTestEvent(urls[0] as string, admin.accessToken, {
        admission: OPEN_ADMISSION,
        maxSeatsPerUser: 3,
        sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 30 }],
      });
      const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [urls[0] as string], ev.id, 60);
      // Each user also connects to the other gateway with the same session and admission.
      const twins = await Promise.all(racers.map((r) => connectClient(urls[1] as string, r.accessToken)));
      await Promise.all(
        racers.flatMap((r, i) =>
          [r.client, twins[i], r.client, twins[i]].map((c) =>
            c?.seatsHold({ eventId: ev.id, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity: 2 }),
          ),
        ),
      );
      const perUser = await dbQuery<{ user_id: string; n: number }>(
        t.databaseUrl,
        `SELECT user_id, sum(seat_count)::int AS n FROM holds WHERE event_id = $1 AND status = 'active' GROUP BY user_id`,
        [ev.id],
      );
      expect(perUser.length).toBe(60);
      for (const u of perUser) expect(u.n).toBeLessThanOrEqual(3);
      for (const c of [...racers.map((r) => r.client), ...twins]) c.close();
      await checkInvariants(t.databaseUrl);
      const sizes = await Promise.all(urls.map(batchSizes));
      // Concurrent holds really were written together.
      expect(sizes.some((s) => s.sum > s.count)).toBe(true);
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
  }, 120_000);

  it('a gateway SIGKILLed mid-batch: every acknowledged hold exists and no batch is half-written', async () => {
    // A wide window keeps batches open long enough for the kill to land inside one.
    const env = { ...t.env, GROUP_COMMIT_WINDOW_MS: '25' };
    const [victim, survivor] = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
    const admin = await loginAdmin((survivor as StartedProcess).url);
    const ev = await createTestEvent((survivor as StartedProcess).url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 3600,
      sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 30 }],
    });
    const racers = await admitRacers(
      t.databaseUrl,
      t.env.JWT_ACCESS_SECRET as string,
      [(victim as StartedProcess).url],
      ev.id,
      300,
    );
    const seatIds = (
      await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 ORDER BY id', [ev.id])
    ).map((r) => r.id);
    const acked = new Map<string, string[]>();
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      racers.map(async (r, i) => {
        const payload: HoldPayload = {
          eventId: ev.id,
          admissionToken: r.admissionToken,
          idempotencyKey: randomUUID(),
          ...(i % 2 ? { quantity: 1 + (i % 3) } : { seatIds: [seatIds[i] as string, seatIds[i + 300] as string] }),
        };
        try {
          const ack = await r.client.seatsHold(payload, { timeoutMs: 60_000 });
          if (ack.ok) acked.set(ack.data.holdId, ack.data.seats.map((s) => s.id).sort());
        } catch {
          // The gateway died before answering: outcome unknown.
        }
        if (acked.size >= 40 && !killed) killed = (victim as StartedProcess).kill();
      }),
    );
    await killed;
    for (const r of racers) r.client.close();
    expect(acked.size).toBeGreaterThanOrEqual(40);
    expect(acked.size).toBeLessThan(300);
    await checkInvariants(t.databaseUrl);
    for (const [holdId, seats] of acked) {
      const rows = await dbQuery<{ id: string }>(
        t.databaseUrl,
        `SELECT id FROM seats WHERE hold_id = $1 AND status = 'held' ORDER BY id`,
        [holdId],
      );
      expect(rows.map((s) => s.id)).toEqual(seats);
    }
    // Every hold in Postgres has its audit entry and idempotency record: batches are whole.
    const [orphans] = await dbQuery<{ n: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM holds h WHERE h.event_id = $1 AND (
         NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = h.id::text AND a.action = 'hold.created')
         OR NOT EXISTS (SELECT 1 FROM idempotency_records r WHERE r.reply->>'holdId' = h.id::text))`,
      [ev.id],
    );
    expect(orphans?.n).toBe(0);
    await (survivor as StartedProcess).stop();
  }, 120_000);

  it('at ten times the queue bound, every hold is answered ok or OVERLOADED within its deadline, none INTERNAL', async () => {
    const deadlineMs = 4000;
    const env = { ...t.env, HOLD_QUEUE_MAX: '20', COMMAND_DEADLINE_MS: String(deadlineMs), GROUP_COMMIT_MAX_BATCH: '10' };
    const gateway = await startGatewayProcess(env);
    try {
      const admin = await loginAdmin(gateway.url);
      const ev = await createTestEvent(gateway.url, admin.accessToken, {
        admission: OPEN_ADMISSION,
        sections: [{ name: 'A', priceCents: 1000, rows: 40, seatsPerRow: 50 }],
      });
      const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [gateway.url], ev.id, 100);
      const answers = await Promise.all(
        racers.flatMap((r) =>
          [0, 1].map(async () => {
            const t0 = performance.now();
            const ack = await r.client.seatsHold(
              { eventId: ev.id, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity: 1 },
              { timeoutMs: 30_000 },
            );
            return { ack, ms: performance.now() - t0 };
          }),
        ),
      );
      for (const r of racers) r.client.close();
      const codes = answers.map((a) => (a.ack.ok ? 'ok' : a.ack.error.code));
      expect([...new Set(codes)].filter((c) => c !== 'ok' && c !== 'OVERLOADED')).toEqual([]);
      expect(codes.filter((c) => c === 'OVERLOADED').length).toBeGreaterThan(0);
      expect(codes.filter((c) => c === 'ok').length).toBeGreaterThan(0);
      for (const a of answers) {
        // Answered by the deadline (plus the time the loaded machine takes to deliver the ack).
        expect(a.ms).toBeLessThan(deadlineMs + 2000);
        if (!a.ack.ok) {
          expect(a.ack.error.retryable).toBe(true);
          expect((a.ack.error.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
        }
      }
      await checkInvariants(t.databaseUrl);
    } finally {
      await gateway.stop();
    }
  }, 120_000);
});
