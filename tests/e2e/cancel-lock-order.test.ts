import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin } from '../support/http-client.js';
import { admitRacers } from '../support/racers.js';
import { adminDatabaseUrl } from '../support/services.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gateways: StartedProcess[];
let worker: StartedProcess;
let database: string;
/** Deadlocks counted in this database before any gateway or worker ran. */
let before: number;

beforeAll(async () => {
  t = await createTestEnv();
  database = new URL(t.databaseUrl).pathname.slice(1);
  before = await deadlocksSoFar(database);
  gateways = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  worker = await startWorkerProcess(t.env);
});

/**
 * Deadlocks Postgres detected in this test's database. Backends publish their counters when they
 * exit, so every backend of the database is ended first. Call it only while no process of the
 * test is running: a live pool reconnects at once (hold expiry runs every second), and the
 * database would never be empty.
 */
async function deadlocksSoFar(database: string): Promise<number> {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [
      database,
    ]);
    await waitUntil('the backends to exit', async () => {
      const { rows } = await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1', [database]);
      return rows[0].n === 0;
    });
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await admin.query('SELECT deadlocks::int AS n FROM pg_stat_database WHERE datname = $1', [database]);
    return rows[0]?.n ?? 0;
  } finally {
    await admin.end();
  }
}

describe('event cancellation racing confirms and releases (lock order)', () => {
  it('never deadlocks: event row first, then hold, then seats in id order, everywhere', async () => {
    const urls = gateways.map((g) => g.url);
    const adminToken = (await loginAdmin(urls[0] as string)).accessToken;
    for (let round = 0; round < 3; round++) {
      const event = await createTestEvent(urls[0] as string, adminToken, {
        admission: OPEN_ADMISSION,
        holdTtlSeconds: 3600,
        sections: [{ name: 'A', priceCents: 1000, rows: 10, seatsPerRow: 30 }],
      });
      const racers = await admitRacers(t.databaseUrl, t.config.jwtAccessSecret, urls, event.id, 120);
      // Everyone holds first (acknowledged), then confirms or releases at once while the admin cancels.
      const holds = await Promise.all(
        racers.map((r) =>
          r.client.seatsHold({ eventId: event.id, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), quantity: 2 }),
        ),
      );
      const ending = racers.map(async (r, i) => {
        const held = holds[i];
        if (!held?.ok) return;
        if (i % 4 === 0) await r.client.holdRelease({ holdId: held.data.holdId });
        else await r.client.holdConfirm({ holdId: held.data.holdId, idempotencyKey: randomUUID(), payment: { method: 'mock' } });
      });
      await new Promise((r) => setTimeout(r, 5 + round * 10));
      const cancelled = await http(urls[round % 2] as string, 'DELETE', `/api/admin/events/${event.id}`, { token: adminToken });
      expect(cancelled.status).toBe(200);
      await Promise.all(ending);
      for (const r of racers) r.client.close();
    }
    await checkInvariants(t.databaseUrl);
    await Promise.all([...gateways, worker].map((p) => p.stop()));
    expect(await deadlocksSoFar(database)).toBe(before);
  }, 180_000);
});
