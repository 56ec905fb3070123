import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HoldPayload, HoldReply } from '../../core/contract/commands.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { admitRacers } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let victim: StartedProcess;
let survivor: StartedProcess;

beforeAll(async () => {
  t = await createTestEnv({ REDLOCK_TTL_MS: '1000' });
  [victim, survivor] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
});

describe('a gateway killed in the middle of a burst of holds', () => {
  it('keeps every acknowledged hold, leaves nothing half-done, and retries replay or complete', async () => {
    const admin = await loginAdmin(survivor.url);
    const ev = await createTestEvent(survivor.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 3600,
      sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 25 }],
    });
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [victim.url], ev.id, 300);
    const payloads: HoldPayload[] = racers.map((r, i) => ({
      eventId: ev.id,
      admissionToken: r.admissionToken,
      idempotencyKey: randomUUID(),
      ...(i % 2 ? { quantity: 1 + (i % 3) } : { section: 'A', quantity: 2 }),
    }));
    const acked = new Map<number, HoldReply>();
    let killed: Promise<unknown> | undefined;
    await Promise.all(
      racers.map(async (r, i) => {
        try {
          const ack = await r.client.seatsHold(payloads[i] as HoldPayload, { timeoutMs: 60_000 });
          if (ack.ok) acked.set(i, ack.data);
        } catch {
          // No ack: the gateway died first (pending acks fail on disconnect). Outcome unknown.
        }
        // SIGKILL once a good part of the burst has been acknowledged, the rest still in flight.
        if (acked.size >= 60 && !killed) killed = victim.kill();
      }),
    );
    await killed;
    for (const r of racers) r.client.close();
    expect(acked.size).toBeGreaterThanOrEqual(60);
    expect(acked.size).toBeLessThan(300);

    // Nothing half-done: Postgres is consistent right after the crash.
    await checkInvariants(t.databaseUrl);
    // Every acknowledged hold is there, active, with exactly the seats its ack named.
    for (const reply of acked.values()) {
      const rows = await dbQuery(t.databaseUrl, `SELECT id FROM seats WHERE hold_id = $1 AND status = 'held' ORDER BY id`, [
        reply.holdId,
      ]);
      expect(rows.map((s) => s.id)).toEqual(reply.seats.map((s) => s.id).sort());
    }

    // The clients retry the same requests through the surviving gateway: acknowledged ones get
    // the identical reply, the others either their committed reply or a fresh hold.
    const retried = await Promise.all(
      racers.map(async (r, i) => {
        const client = await connectClient(survivor.url, r.accessToken);
        try {
          for (let attempt = 0; ; attempt++) {
            const ack = await client.seatsHold(payloads[i] as HoldPayload, { timeoutMs: 20_000 });
            if (ack.ok || !ack.error.retryable || attempt > 30) return ack;
            await new Promise((res) => setTimeout(res, 100));
          }
        } finally {
          client.close();
        }
      }),
    );
    for (const [i, reply] of acked) expect(retried[i]).toEqual({ ok: true, data: reply });
    for (const ack of retried) expect(ack.ok || ['SOLD_OUT', 'SEAT_UNAVAILABLE'].includes(ack.error.code)).toBe(true);

    // One hold per successful key, one key per hold: no hold without its record or vice versa.
    const orphans = await dbQuery(
      t.databaseUrl,
      `SELECT h.id FROM holds h LEFT JOIN idempotency_records r ON r.command = 'seats:hold' AND r.reply->>'holdId' = h.id::text
        WHERE h.event_id = $1 AND h.source = 'user' AND r.key IS NULL
       UNION ALL
       SELECT (r.reply->>'holdId')::uuid FROM idempotency_records r LEFT JOIN holds h ON h.id = (r.reply->>'holdId')::uuid
        WHERE r.command = 'seats:hold' AND h.id IS NULL`,
      [ev.id],
    );
    expect(orphans).toEqual([]);
    const [{ n }] = await dbQuery(t.databaseUrl, `SELECT count(*)::int AS n FROM holds WHERE event_id = $1`, [ev.id]);
    expect(n).toBe(retried.filter((a) => a.ok).length);
    await checkInvariants(t.databaseUrl);
  }, 90_000);
});
