import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConfirmReply, HoldPayload, HoldReply } from '../../core/contract/commands.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { admitRacers } from '../support/racers.js';
import { adminDatabaseUrl } from '../support/services.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let processes: StartedProcess[];

beforeAll(async () => {
  t = await createTestEnv({ PG_POOL_SIZE: '8' });
  processes = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env), startWorkerProcess(t.env)]);
});

/** Terminates every backend of the test database (the gateways' and worker's pooled connections). */
async function terminateBackends(admin: pg.Client, database: string): Promise<number> {
  const { rows } = await admin.query<{ n: number }>(
    `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [database],
  );
  return rows[0]?.n ?? 0;
}

describe('Postgres backends terminated again and again during a burst of holds and confirms', () => {
  it('keeps every process up, loses nothing acknowledged, and serves holds again right after', async () => {
    const [g1, g2] = processes.map((p) => p.url) as [string, string];
    const admin = await loginAdmin(g1);
    const ev = await createTestEvent(g1, admin.accessToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 3600,
      maxSeatsPerUser: 6,
      sections: [{ name: 'A', priceCents: 1000, rows: 20, seatsPerRow: 25 }],
    });
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, [g1, g2], ev.id, 150);
    const database = new URL(t.databaseUrl).pathname.slice(1);
    const killer = new pg.Client({ connectionString: adminDatabaseUrl() });
    await killer.connect();

    // The storm: every 150 ms for about 4 s (or until the burst is over), every backend of this
    // database is terminated, mid-transaction or idle.
    let storming = true;
    let terminated = 0;
    let rounds = 0;
    const storm = (async () => {
      const until = Date.now() + 4000;
      while (storming && Date.now() < until) {
        terminated += await terminateBackends(killer, database);
        rounds++;
        await new Promise((r) => setTimeout(r, 150));
      }
    })();

    const heldAcks: HoldReply[] = [];
    const confirmAcks: ConfirmReply[] = [];
    const errors = new Map<string, number>();
    const note = (code: string) => errors.set(code, (errors.get(code) ?? 0) + 1);
    // Each buyer holds twice (best available, 1 or 2 seats) and then confirms the first hold (the
    // second keeps the admission session open); retryable answers are retried with the same
    // idempotency key, as clients do. The buyers come in five waves of 30, 600 ms apart: with
    // group commit one wave of all 150 was served within five storm rounds, before the storm
    // had done its work; the waves keep commands in flight for most of the storm.
    const retrying = async <T>(
      send: () => Promise<{ ok: true; data: T } | { ok: false; error: { code: string; retryable: boolean } }>,
    ) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const ack = await send();
        if (ack.ok) return ack.data;
        note(ack.error.code);
        if (!ack.error.retryable) return null;
        await new Promise((res) => setTimeout(res, 20 + Math.random() * 50));
      }
      return null;
    };
    const burst = Promise.all(
      racers.map(async (r, i) => {
        await new Promise((res) => setTimeout(res, Math.floor(i / 30) * 600));
        const holds: HoldReply[] = [];
        for (let k = 0; k < 2; k++) {
          const payload: HoldPayload = {
            eventId: ev.id,
            admissionToken: r.admissionToken,
            idempotencyKey: randomUUID(),
            quantity: 1 + ((i + k) % 2),
          };
          const held = await retrying(() => r.client.seatsHold(payload, { timeoutMs: 30_000 }));
          if (held) holds.push(held);
        }
        heldAcks.push(...holds);
        if (holds.length < 2) return;
        const confirm = {
          holdId: (holds[0] as HoldReply).holdId,
          idempotencyKey: randomUUID(),
          payment: { method: 'mock' as const },
        };
        const booked = await retrying(() => r.client.holdConfirm(confirm, { timeoutMs: 30_000 }));
        if (booked) confirmAcks.push(booked);
      }),
    );
    await burst.catch(async (err) => {
      // A client lost its socket: say which process went down and what it printed.
      await waitUntil('the exit to be seen', () => processes.some((p) => p.child.exitCode !== null), 3000).catch(() => {});
      const dead = processes.filter((p) => p.child.exitCode !== null || p.child.signalCode !== null);
      throw new Error(`${err}; exited: ${dead.map((p) => `${p.child.exitCode}\n${p.output().slice(-3000)}`).join('\n')}`);
    });
    storming = false;
    await storm;
    await killer.end();

    console.log(
      `pg-terminate storm: ${JSON.stringify({ rounds, terminated, held: heldAcks.length, confirmed: confirmAcks.length, errors: Object.fromEntries(errors) })}`,
    );
    // The storm really hit connections in use, and the system kept answering.
    expect(rounds).toBeGreaterThan(5);
    expect(terminated).toBeGreaterThan(20);
    expect(heldAcks.length).toBeGreaterThan(50);
    // No process died.
    for (const p of processes) expect(p.child.exitCode, p.output().slice(-2000)).toBeNull();
    // Never INTERNAL: a lost connection is a retryable OVERLOADED.
    expect(errors.get('INTERNAL') ?? 0, JSON.stringify(Object.fromEntries(errors))).toBe(0);

    // Nothing acknowledged is lost.
    await checkInvariants(t.databaseUrl);
    const confirmed = new Set(confirmAcks.map((c) => c.bookingId));
    const bookings = await dbQuery<{ id: string }>(t.databaseUrl, `SELECT id FROM bookings WHERE status = 'confirmed'`);
    for (const id of confirmed) expect(bookings.map((b) => b.id)).toContain(id);
    for (const h of heldAcks) {
      const rows = await dbQuery<{ status: string }>(t.databaseUrl, 'SELECT status FROM holds WHERE id = $1', [h.holdId]);
      expect(['active', 'confirmed']).toContain(rows[0]?.status);
    }

    // Right after: holds succeed again, through both gateways, at the first attempt.
    const fresh = racers.slice(0, 20);
    await waitUntil('a hold to succeed after the storm', async () => {
      const ack = await fresh[0]?.client.seatsHold({
        eventId: ev.id,
        admissionToken: fresh[0].admissionToken,
        idempotencyKey: randomUUID(),
        quantity: 1,
      });
      if (!ack?.ok) note(`after:${ack?.error.code}`);
      return ack?.ok;
    }).catch((err) => {
      throw new Error(`${err}: ${JSON.stringify(Object.fromEntries(errors))}`);
    });
    const after = await Promise.all(
      fresh
        .slice(1)
        .map((r) =>
          r.client.seatsHold({ eventId: ev.id, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity: 1 }),
        ),
    );
    expect(after.filter((a) => !a.ok)).toEqual([]);
    for (const r of racers) r.client.close();
  }, 180_000);
});
