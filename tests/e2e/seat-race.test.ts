import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { admit, OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { expectEverySeatWonOnce, raceForSeats } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

const CLIENTS = 1000;
const SEATS = 200;

let t: TestEnv;
let worker: StartedProcess;
beforeAll(async () => {
  t = await createTestEnv({ PG_POOL_SIZE: '20' });
  worker = await startWorkerProcess(t.env);
});
afterAll(async () => {
  await worker.stop();
});

async function runRace(redlock: 'true' | 'false', maxBatch = '100') {
  const env = { ...t.env, REDLOCK_ENABLED: redlock, PG_POOL_SIZE: '20', GROUP_COMMIT_MAX_BATCH: maxBatch };
  const gateways = await Promise.all([startGatewayProcess(env), startGatewayProcess(env)]);
  try {
    const admin = await loginAdmin(gateways[0]!.url);
    const ev = await createTestEvent(gateways[0]!.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'Floor', priceCents: 2500, rows: 10, seatsPerRow: 20 }],
    });
    const seatIds = (await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1', [ev.id])).map(
      (r) => r.id,
    );
    expect(seatIds).toHaveLength(SEATS);
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, CLIENTS);
    const racers: { client: EventlyClient; admissionToken: string }[] = [];
    for (let i = 0; i < users.length; i += 100) {
      racers.push(
        ...(await Promise.all(
          users.slice(i, i + 100).map(async (u, j) => {
            const client = await connectClient(gateways[(i + j) % 2]!.url, u.accessToken);
            return { client, admissionToken: await admit(client, ev.id) };
          }),
        )),
      );
    }
    const outcomes = await Promise.all(racers.map((r, i) => raceForSeats(r, ev.id, seatIds, i % 5 < 3)));
    for (const r of racers) r.client.close();

    const { failures } = expectEverySeatWonOnce(outcomes, SEATS);
    const [db] = await dbQuery(
      t.databaseUrl,
      `SELECT count(*) FILTER (WHERE status = 'held')::int AS held, count(*) FILTER (WHERE status = 'available')::int AS available,
              (SELECT count(*)::int FROM holds WHERE event_id = $1 AND status = 'active') AS holds
         FROM seats WHERE event_id = $1`,
      [ev.id],
    );
    expect(db).toEqual({ held: SEATS, available: 0, holds: outcomes.length - failures.length });
    await checkInvariants(t.databaseUrl);
  } finally {
    await Promise.all(gateways.map((g) => g.stop()));
  }
}

describe(`${CLIENTS} clients race for ${SEATS} seats on two gateways`, () => {
  it('with Redlock: exactly the seats there are, each to one hold', async () => {
    await runRace('true');
  }, 120_000);

  it('without Redlock: Postgres alone still never oversells', async () => {
    await runRace('false');
  }, 120_000);

  it('in batches of one (one transaction per hold): never oversells', async () => {
    await runRace('true', '1');
  }, 120_000);
});
