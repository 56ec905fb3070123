import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;

beforeAll(async () => {
  t = await createTestEnv();
  // A lane of two with room for four more: a flood of waiting-room commands overflows it.
  gw = await startGatewayProcess({ ...t.env, WAITING_LANE_CONCURRENCY: '2', WAITING_LANE_QUEUE: '4' });
});
afterAll(async () => {
  await gw.stop();
});

describe('the waiting lane', () => {
  it('sheds a flood of waiting-room commands with OVERLOADED while holds of admitted buyers are served', async () => {
    const admin = await loginAdmin(gw.url);
    const ev = await createTestEvent(gw.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 1000, rows: 5, seatsPerRow: 10 }],
    });
    const buyer = await admittedUser(gw.url, ev.id);
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, 60);
    const crowd = await Promise.all(users.map((u) => connectClient(gw.url, u.accessToken)));
    // 60 sockets ask for their place three times each at once; the buyer holds meanwhile.
    const flood = Promise.all(
      crowd.flatMap((c) => [0, 1, 2].map(() => c.queueStatus({ eventId: ev.id }, { timeoutMs: 30_000 }))),
    );
    const hold = await buyer.client.seatsHold(
      { eventId: ev.id, admissionToken: buyer.admissionToken, idempotencyKey: randomUUID(), quantity: 2 },
      { timeoutMs: 30_000 },
    );
    const answers = await flood;
    expect(hold.ok, JSON.stringify(hold)).toBe(true);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect([...new Set(codes)].sort()).toEqual(['OVERLOADED', 'ok']);
    for (const a of answers) {
      if (a.ok) continue;
      expect(a.error.retryable).toBe(true);
      expect((a.error.details as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
    }
    // Shedding is not a refusal for good: the same command goes through once the flood is over.
    const again = await (crowd[0] as (typeof crowd)[number]).queueStatus({ eventId: ev.id });
    expect(again.ok).toBe(true);
    for (const c of [...crowd, buyer.client]) c.close();
  }, 60_000);
});
