import { beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { createQueueProbe } from '../support/queue-probe.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let probe: ReturnType<typeof createQueueProbe>;

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  probe = createQueueProbe(t.config);
});

describe('cheap commands do not make expensive work', () => {
  it('queue:status and the challenge route on upcoming events add nothing to the ticking set; a join does', async () => {
    const inAWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const events = await Promise.all([1, 2, 3, 4, 5].map(() => createTestEvent(gw.url, adminToken, { saleStartsAt: inAWeek })));
    const u = await registerUser(gw.url);
    const client = await connectClient(gw.url, u.accessToken);
    for (const ev of events) {
      expect(await client.queueStatus({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'none' } });
      expect((await http(gw.url, 'GET', `/api/events/${ev.id}/challenge`, { token: u.accessToken })).status).toBe(200);
    }
    const ticking = await probe.redis.smembers(probe.keys.onSaleEvents);
    for (const ev of events) expect(ticking).not.toContain(ev.id);
    // A real join (pre-queue) does need ticks: the shuffle at sale start.
    expect(await client.queueJoin({ eventId: events[0]?.id as string })).toMatchObject({ ok: true });
    expect(await probe.redis.smembers(probe.keys.onSaleEvents)).toContain(events[0]?.id);
  });
});
