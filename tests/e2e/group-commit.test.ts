import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HoldPayload } from '../../core/contract/commands.js';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { admitRacers, type Racer } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth, type TestEnv } from '../support/test-env.js';

let t: TestEnv;

beforeAll(async () => {
  t = await createTestEnv({ PG_POOL_SIZE: '10' });
  await startWorkerProcess(t.env);
});

/** Sum and count of a batch-size histogram a gateway exposes (holds unless told). */
async function batchSizes(url: string, metric = 'evently_hold_batch_size'): Promise<{ sum: number; count: number; max: number }> {
  const text = (await http<string>(url, 'GET', '/metrics', { headers: metricsAuth })).body;
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
  // The largest bucket bound below which not every batch fell: a lower bound of the largest batch.
  let max = 0;
  const count = value(`${metric}_count`);
  for (const m of text.matchAll(new RegExp(`^${metric}_bucket\\{le="([^"]+)"[^}]*\\} (\\S+)$`, 'gm'))) {
    if (m[1] !== '+Inf' && Number(m[2]) < count) max = Math.max(max, Number(m[1]));
  }
  return { sum: value(`${metric}_sum`), count, max };
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
      const sizes = await Promise.all(urls.map((u) => batchSizes(u)));
      // Concurrent holds really were written together.
      expect(sizes.some((s) => s.sum > s.count)).toBe(true);
    } finally {
      await Promise.all(gateways.map((g) => g.stop()));
    }
  }, 120_000);

  it.each([
    ['false', 'every copy of a key gets the same answer'],
    ['true', 'a key makes at most one hold and every ok copy names it'],
  ])(
    'one request per key sent 4 times at once through both gateways, two keys per seat (Redlock %s): %s',
    async (redlock) => {
      const env = { ...t.env, REDLOCK_ENABLED: redlock };
      const gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
      try {
        const urls = gateways.map((g) => g.url);
        const admin = await loginAdmin(urls[0] as string);
        const ev = await createTestEvent(urls[0] as string, admin.accessToken, {
          admission: OPEN_ADMISSION,
          sections: [{ name: 'A', priceCents: 1000, rows: 2, seatsPerRow: 20 }],
        });
        const seats = (await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1', [ev.id])).map(
          (r) => r.id,
        );
        const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls, ev.id, 80);
        const twins = await Promise.all(racers.map((r, i) => connectClient(urls[(i + 1) % 2] as string, r.accessToken)));
        // Racers i and i + 40 name the same seat; each sends its one request twice on each gateway.
        const answers = await Promise.all(
          racers.map(async (r, i) => {
            const payload: HoldPayload = {
              eventId: ev.id,
              admissionToken: r.admissionToken,
              idempotencyKey: `key-${i}`,
              seatIds: [seats[i % 40] as string],
            };
            const copies = [r.client, twins[i], r.client, twins[i]] as EventlyClient[];
            return Promise.all(copies.map((c) => c.seatsHold(payload, { timeoutMs: 60_000 })));
          }),
        );
        const holds = await dbQuery<{ id: string; user_id: string }>(
          t.databaseUrl,
          'SELECT id, user_id FROM holds WHERE event_id = $1',
          [ev.id],
        );
        expect(holds.length).toBeGreaterThan(0);
        expect(holds.length).toBeLessThanOrEqual(40);
        answers.forEach((copies, i) => {
          const ok = copies.flatMap((a) => (a.ok ? [a.data.holdId] : []));
          const own = holds.filter((h) => h.user_id === (racers[i] as Racer).userId).map((h) => h.id);
          // At most one hold per key, and every ok copy names that one hold.
          expect(own.length).toBeLessThanOrEqual(1);
          expect(new Set(ok).size).toBeLessThanOrEqual(1);
          if (ok.length > 0) expect(ok[0]).toBe(own[0]);
          else expect(own).toEqual([]);
          for (const a of copies) if (!a.ok) expect(a.error.code).toBe('SEAT_UNAVAILABLE');
          // Without the Redis gate every copy reaches a batch, which answers a key it has already
          // decided from its stored reply: all four copies agree.
          if (redlock === 'false') expect(ok.length === 0 || ok.length === 4).toBe(true);
        });
        for (const c of [...racers.map((r) => r.client), ...twins]) c.close();
        await checkInvariants(t.databaseUrl);
      } finally {
        await Promise.all(gateways.map((g) => g.stop()));
      }
    },
    120_000,
  );

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

/** One best-available hold of `quantity` seats, retried while the server says retryable. */
async function holdOne(r: Racer, eventId: string, quantity: number, idempotencyKey: string = randomUUID()): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    const ack = await r.client.seatsHold(
      { eventId, admissionToken: r.admissionToken, idempotencyKey, quantity },
      { timeoutMs: 60_000 },
    );
    if (ack.ok) return ack.data.holdId;
    if (!ack.error.retryable || attempt >= 30) throw new Error(`hold failed: ${ack.error.code}`);
    await new Promise((res) => setTimeout(res, 10 + Math.random() * 20));
  }
}

/**
 * One confirm, sent again with the same key while the answer is retryable (OVERLOADED from the
 * bounded database queue on a busy machine), as a client does: the final answer is the one judged.
 */
async function confirmOn(c: EventlyClient, holdId: string, idempotencyKey: string, outcome: 'approve' | 'decline' = 'approve') {
  for (let attempt = 0; ; attempt++) {
    const ack = await c.holdConfirm({ holdId, idempotencyKey, payment: { method: 'mock', outcome } }, { timeoutMs: 60_000 });
    if (ack.ok || !ack.error.retryable || attempt >= 30) return ack;
    await new Promise((r) => setTimeout(r, (ack.error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 100));
  }
}

/**
 * Two gateways, an event of 600 seats held for an hour, `buyers` admitted round-robin on both,
 * each holding 1-2 seats (with `holdKeys[i]` as the idempotency key when given), and each also
 * connected to the other gateway with the same session (`twins`).
 */
async function twoGatewaysWithHolds(buyers: number, holdKeys: readonly string[] = [], env: Record<string, string> = {}) {
  const gateways = await Promise.all([startGatewayProcess({ ...t.env, ...env }), startGatewayProcess({ ...t.env, ...env })]);
  const urls = gateways.map((g) => g.url);
  const admin = await loginAdmin(urls[0] as string);
  const ev = await createTestEvent(urls[0] as string, admin.accessToken, {
    admission: OPEN_ADMISSION,
    holdTtlSeconds: 3600,
    sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 30 }],
  });
  const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls, ev.id, buyers);
  const holds = await Promise.all(racers.map((r, i) => holdOne(r, ev.id, 1 + (i % 2), holdKeys[i])));
  const twins = await Promise.all(racers.map((r, i) => connectClient(urls[(i + 1) % 2] as string, r.accessToken)));
  return {
    urls,
    ev,
    racers,
    holds,
    twins,
    stop: async () => {
      for (const c of [...racers.map((r) => r.client), ...twins]) c.close();
      await Promise.all(gateways.map((g) => g.stop()));
    },
  };
}

describe('group commit of hold:confirm', () => {
  it.each([
    ['in batches', true],
    ['in batches of one (one transaction each)', false],
  ])(
    '300 buyers on two gateways confirm at once %s, with duplicates, reused keys, declines, releases and strangers: one legal answer each',
    async (_, batched) => {
      const holdKeys = [...Array(300).keys()].map(() => randomUUID());
      const { urls, ev, racers, holds, twins, stop } = await twoGatewaysWithHolds(300, holdKeys, {
        GROUP_COMMIT_MAX_BATCH: batched ? '100' : '1',
      });
      try {
        const expected: string[] = []; // booking ids that must exist
        await Promise.all(
          racers.map(async (r, i) => {
            const holdId = holds[i] as string;
            const twin = twins[i] as EventlyClient;
            const key = randomUUID();
            switch (i % 6) {
              case 0: {
                // The same request three times, twice on one gateway (one batch) and once on the other.
                const acks = await Promise.all([
                  confirmOn(r.client, holdId, key),
                  confirmOn(r.client, holdId, key),
                  confirmOn(twin, holdId, key),
                ]);
                const ids = acks.map((a) => (a.ok ? a.data.bookingId : a.error.code));
                expect(new Set(ids).size, JSON.stringify(ids)).toBe(1);
                expect(acks[0]?.ok).toBe(true);
                expected.push(ids[0] as string);
                break;
              }
              case 1: {
                const ack = await confirmOn(r.client, holdId, key, 'decline');
                expect(ack.ok ? 'ok' : ack.error.code).toBe('PAYMENT_DECLINED');
                break;
              }
              case 2: {
                // Two different keys for one hold at once: one booking, the other CONFLICT.
                const acks = await Promise.all([confirmOn(r.client, holdId, key), confirmOn(twin, holdId, randomUUID())]);
                expect(acks.map((a) => (a.ok ? 'ok' : a.error.code)).sort()).toEqual(['CONFLICT', 'ok']);
                for (const a of acks) if (a.ok) expected.push(a.data.bookingId);
                break;
              }
              case 3: {
                // Release racing confirm: exactly one of them wins.
                const [c, rel] = await Promise.all([confirmOn(r.client, holdId, key), twin.holdRelease({ holdId })]);
                expect([c?.ok, rel?.ok].filter(Boolean).length, JSON.stringify([c, rel])).toBe(1);
                if (c?.ok) expected.push(c.data.bookingId);
                break;
              }
              case 4: {
                // A stranger confirming the next buyer's hold; a refusal is not recorded, so the key
                // still confirms the stranger's own hold afterwards.
                const ack = await confirmOn(r.client, holds[i + 1] as string, key);
                expect(ack.ok ? 'ok' : ack.error.code).toBe('HOLD_NOT_FOUND');
                const own = await confirmOn(r.client, holdId, key);
                expect(own.ok ? 'ok' : own.error.code).toBe('ok');
                if (own.ok) expected.push(own.data.bookingId);
                break;
              }
              default: {
                if (i % 12 === 11) {
                  // The key of this buyer's seats:hold, reused: it fails the batch's write, which
                  // then reruns request by request; only this one is refused.
                  const ack = await confirmOn(r.client, holdId, holdKeys[i] as string);
                  expect(ack.ok ? 'ok' : ack.error.code).toBe('CONFLICT');
                  break;
                }
                const ack = await confirmOn(r.client, holdId, key);
                expect(ack.ok ? 'ok' : ack.error.code).toBe('ok');
                if (ack.ok) expected.push(ack.data.bookingId);
              }
            }
          }),
        );
        const booked = await dbQuery<{ id: string; seats: number; sold: number }>(
          t.databaseUrl,
          `SELECT b.id, (SELECT count(*)::int FROM booked_seats bs WHERE bs.booking_id = b.id) AS seats,
                (SELECT count(*)::int FROM seats s WHERE s.booking_id = b.id AND s.status = 'sold') AS sold
           FROM bookings b WHERE b.event_id = $1 AND b.status = 'confirmed'`,
          [ev.id],
        );
        expect(booked.map((b) => b.id).sort()).toEqual([...expected].sort());
        for (const b of booked) expect(b.sold).toBe(b.seats);
        // The declined holds are still active, untouched.
        const declined = racers.flatMap((_, i) => (i % 6 === 1 ? [holds[i] as string] : []));
        const [stillActive] = await dbQuery<{ n: number }>(
          t.databaseUrl,
          `SELECT count(*)::int AS n FROM holds WHERE id = ANY($1) AND status = 'active'`,
          [declined],
        );
        expect(stillActive?.n).toBe(declined.length);
        await checkInvariants(t.databaseUrl);
        const sizes = await Promise.all(urls.map((u) => batchSizes(u, 'evently_confirm_batch_size')));
        expect(sizes.some((s) => s.sum > s.count)).toBe(batched);
      } finally {
        await stop();
      }
    },
    180_000,
  );

  it('a gateway SIGKILLed mid confirm batch: every acknowledged booking exists, none half-written', async () => {
    // A wide window and small batches: the confirms are written in a dozen batches, four at a
    // time, so the kill lands while later batches are still waiting or being written.
    const env = { ...t.env, GROUP_COMMIT_WINDOW_MS: '25', GROUP_COMMIT_MAX_BATCH: '25' };
    const [victim, survivor] = (await Promise.all([startGatewayProcess(env), startGatewayProcess(env)])) as [
      StartedProcess,
      StartedProcess,
    ];
    const admin = await loginAdmin(survivor.url);
    const ev = await createTestEvent(survivor.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 3600,
      sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 30 }],
    });
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [victim.url], ev.id, 300);
    const holds = await Promise.all(racers.map((r, i) => holdOne(r, ev.id, 1 + (i % 2))));
    const acked = new Map<string, string>(); // booking id -> hold id
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      racers.map(async (r, i) => {
        try {
          const ack = await confirmOn(r.client, holds[i] as string, randomUUID());
          if (ack.ok) acked.set(ack.data.bookingId, holds[i] as string);
        } catch {
          // The gateway died before answering: outcome unknown.
        }
        if (acked.size >= 40 && !killed) killed = victim.kill();
      }),
    );
    await killed;
    for (const r of racers) r.client.close();
    console.log(`confirm kill: ${acked.size} of 300 confirms acknowledged`);
    expect(acked.size).toBeGreaterThanOrEqual(40);
    expect(acked.size).toBeLessThan(300);
    await checkInvariants(t.databaseUrl);
    const confirmed = await dbQuery<{ id: string; hold_id: string }>(
      t.databaseUrl,
      `SELECT id, hold_id FROM bookings WHERE event_id = $1 AND status = 'confirmed'`,
      [ev.id],
    );
    const inDb = new Map(confirmed.map((b) => [b.id, b.hold_id]));
    for (const [bookingId, holdId] of acked) expect(inDb.get(bookingId)).toBe(holdId);
    // Every booking has its confirmed hold, audit entry, idempotency record and mail: batches are whole.
    const [orphans] = await dbQuery<{ n: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM bookings b WHERE b.event_id = $1 AND (
         NOT EXISTS (SELECT 1 FROM holds h WHERE h.id = b.hold_id AND h.status = 'confirmed')
         OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.entity_id = b.id::text AND a.action = 'booking.confirmed')
         OR NOT EXISTS (SELECT 1 FROM idempotency_records r WHERE r.reply->>'bookingId' = b.id::text)
         OR NOT EXISTS (SELECT 1 FROM notification_outbox n WHERE n.dedupe_key = 'booking_confirmed:' || b.id))`,
      [ev.id],
    );
    expect(orphans?.n).toBe(0);
    const [unbooked] = await dbQuery<{ n: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM holds h WHERE h.event_id = $1 AND h.status = 'confirmed'
          AND NOT EXISTS (SELECT 1 FROM bookings b WHERE b.hold_id = h.id)`,
      [ev.id],
    );
    expect(unbooked?.n).toBe(0);
    await survivor.stop();
  }, 180_000);
});

describe('group commit of hold:release', () => {
  it.each([
    ['in batches', true],
    ['in batches of one (one transaction each)', false],
  ])(
    '200 buyers release at once on two gateways %s, twice, with strangers and confirmed holds: one legal answer each',
    async (_, batched) => {
      const { urls, ev, racers, holds, twins, stop } = await twoGatewaysWithHolds(200, [], {
        GROUP_COMMIT_MAX_BATCH: batched ? '100' : '1',
      });
      try {
        // Every fourth buyer has confirmed first: their release is a CONFLICT.
        await Promise.all(
          racers.map(async (r, i) => {
            if (i % 4 === 3) expect((await confirmOn(r.client, holds[i] as string, randomUUID())).ok).toBe(true);
          }),
        );
        const code = (a: { ok: boolean; error?: { code: string } }) => (a.ok ? 'ok' : (a.error?.code as string));
        await Promise.all(
          racers.map(async (r, i) => {
            const holdId = holds[i] as string;
            const twin = twins[i] as EventlyClient;
            if (i % 4 === 0) {
              // Twice on one gateway (one batch), once on the other: one release, the rest already released.
              const acks = await Promise.all([
                r.client.holdRelease({ holdId }),
                r.client.holdRelease({ holdId }),
                twin.holdRelease({ holdId }),
              ]);
              expect(acks.map(code).sort()).toEqual(['HOLD_NOT_FOUND', 'HOLD_NOT_FOUND', 'ok']);
              const ok = acks.find((a) => a.ok);
              expect(ok?.ok && ok.data.released).toBe(1 + (i % 2));
            } else if (i % 4 === 1) {
              // A stranger releasing the next buyer's hold gets HOLD_NOT_FOUND; the hold is kept.
              expect(code(await r.client.holdRelease({ holdId: holds[i + 1] as string }))).toBe('HOLD_NOT_FOUND');
              expect(code(await r.client.holdRelease({ holdId }))).toBe('ok');
            } else if (i % 4 === 3) {
              expect(code(await twin.holdRelease({ holdId }))).toBe('CONFLICT');
            }
          }),
        );
        const rows = await dbQuery<{ id: string; status: string }>(
          t.databaseUrl,
          'SELECT id, status FROM holds WHERE event_id = $1',
          [ev.id],
        );
        const status = new Map(rows.map((r) => [r.id, r.status]));
        racers.forEach((_, i) => {
          expect(status.get(holds[i] as string), `buyer ${i}`).toBe(['released', 'released', 'active', 'confirmed'][i % 4]);
        });
        const [free] = await dbQuery<{ n: number }>(
          t.databaseUrl,
          `SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'available'`,
          [ev.id],
        );
        const kept = racers.reduce((n, _, i) => n + (i % 4 >= 2 ? 1 + (i % 2) : 0), 0);
        expect(free?.n).toBe(600 - kept);
        await checkInvariants(t.databaseUrl);
        const sizes = await Promise.all(urls.map((u) => batchSizes(u, 'evently_release_batch_size')));
        expect(sizes.some((s) => s.sum > s.count)).toBe(batched);
      } finally {
        await stop();
      }
    },
    180_000,
  );
});
