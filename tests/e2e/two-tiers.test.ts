import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EventlyClient, followShop } from '../../core/contract/create-client.js';
import { createHttpClient, followShopOverHttp } from '../../core/contract/create-http-client.js';
import type { EventDetail } from '../../core/contract/http.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { createKeys } from '../../core/redis/keys.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { expectEverySeatWonOnce, raceForSeats } from '../support/racers.js';
import { testRedisUrl } from '../support/services.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

/**
 * Two tiers as real processes: a queue gateway for the waiting crowd, a shop gateway for the
 * admitted buyers (SHOP_URL names it in every admission), one worker admitting.
 */
let t: TestEnv;
let queue: StartedProcess;
let shop: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ PG_POOL_SIZE: '10' });
  shop = await startGatewayProcess({ ...t.env, GATEWAY_ROLE: 'shop', INSTANCE_ID: 'shop-1' });
  const tierEnv = { ...t.env, SHOP_URL: shop.url };
  [queue] = await Promise.all([
    startGatewayProcess({ ...tierEnv, GATEWAY_ROLE: 'queue', INSTANCE_ID: 'queue-1' }),
    startWorkerProcess(tierEnv),
  ]);
  adminToken = (await loginAdmin(queue.url)).accessToken;
}, 90_000);

afterAll(async () => {
  await Promise.all([queue?.stop(), shop?.stop()]);
});

const newEvent = (rows = 2, seatsPerRow = 10): Promise<EventDetail> =>
  createTestEvent(queue.url, adminToken, {
    admission: OPEN_ADMISSION,
    sections: [{ name: 'Floor', priceCents: 2500, rows, seatsPerRow }],
  });

/** Joins on the queue tier; the admission as the join reply or the push told it. */
async function admitOnQueueTier(client: EventlyClient, eventId: string) {
  const pushed = nextPush(client, 'queue:admitted', (p) => p.eventId === eventId, 20_000);
  pushed.catch(() => {});
  let joined = await client.queueJoin({ eventId });
  for (let attempt = 0; !joined.ok && joined.error.retryable && attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 200));
    joined = await client.queueJoin({ eventId });
  }
  if (!joined.ok) throw new Error(`queue:join failed: ${JSON.stringify(joined.error)}`);
  return joined.data.state === 'admitted' ? joined.data : await pushed;
}

const holdRows = (eventId: string) =>
  dbQuery<{ n: number }>(t.databaseUrl, 'SELECT count(*)::int AS n FROM holds WHERE event_id = $1', [eventId]);

describe('two tiers', () => {
  it('a buyer joins on the queue tier, is told the shop, holds and confirms there', async () => {
    const ev = await newEvent();
    const session = await registerUser(queue.url);
    const waiting = await connectClient(queue.url, session.accessToken);
    const admission = await admitOnQueueTier(waiting, ev.id);
    expect(admission.shopUrl).toBe(shop.url);
    // Asked again (another gateway of the queue tier, over HTTP too), the admission names the shop.
    const status = await waiting.queueStatus({ eventId: ev.id });
    expect(status.ok && status.data.state === 'admitted' && status.data.shopUrl).toBe(shop.url);
    const polled = await http<{ state: string; shopUrl?: string }>(queue.url, 'GET', `/api/events/${ev.id}/queue`, {
      token: session.accessToken,
    });
    expect(polled.body).toMatchObject({ state: 'admitted', shopUrl: shop.url });

    const buyer = followShop(waiting, admission, session.accessToken);
    expect(buyer).not.toBe(waiting);
    expect(buyer.url).toBe(shop.url);
    await buyer.connected();
    try {
      const map = await buyer.seatsSubscribe({ eventId: ev.id });
      expect(map.ok).toBe(true);
      const hold = await buyer.seatsHold({
        eventId: ev.id,
        admissionToken: admission.admissionToken,
        idempotencyKey: randomUUID(),
        quantity: 2,
      });
      if (!hold.ok) throw new Error(JSON.stringify(hold.error));
      const booking = await buyer.holdConfirm({
        holdId: hold.data.holdId,
        idempotencyKey: randomUUID(),
        payment: { method: 'mock', outcome: 'approve' },
      });
      expect(booking.ok).toBe(true);
      // A reload picks up on the shop tier.
      const me = await buyer.meState({});
      expect(me.ok).toBe(true);
    } finally {
      buyer.close();
    }
    await checkInvariants(t.databaseUrl);
    // The admission loop steers by the hold latency the shop reports; the queue tier reports none.
    const redis = connectRedis(testRedisUrl());
    try {
      await waitUntil(
        'a hold-path health report',
        async () => (await redis.hkeys(createKeys(t.redisPrefix).holdHealth)).length > 0,
        5000,
      );
      await new Promise((r) => setTimeout(r, 1200)); // another report interval of both gateways
      expect(await redis.hkeys(createKeys(t.redisPrefix).holdHealth)).toEqual(['shop-1']);
    } finally {
      redis.disconnect();
    }
  });

  it('the queue tier refuses seat commands, the shop tier the waiting-room ones, and nothing changes', async () => {
    const ev = await newEvent();
    const session = await registerUser(queue.url);
    const waiting = await connectClient(queue.url, session.accessToken);
    const admission = await admitOnQueueTier(waiting, ev.id);
    const hold = await waiting.seatsHold({
      eventId: ev.id,
      admissionToken: admission.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 1,
    });
    expect(hold.ok).toBe(false);
    if (!hold.ok) {
      expect(hold.error.code).toBe('FORBIDDEN');
      expect(hold.error.retryable).toBe(false);
      expect(hold.error.details).toEqual({ tier: 'shop', shopUrl: shop.url });
    }
    for (const refused of [await waiting.seatsSubscribe({ eventId: ev.id }), await waiting.meState({})]) {
      expect(refused.ok || refused.error.code).toBe('FORBIDDEN');
    }
    // The HTTP booking routes run the same pipeline.
    const overHttp = await http(queue.url, 'POST', `/api/events/${ev.id}/holds`, {
      token: session.accessToken,
      headers: { 'idempotency-key': randomUUID() },
      body: { admissionToken: admission.admissionToken, quantity: 1 },
    });
    expect(overHttp.status).toBe(403);
    expect(await holdRows(ev.id)).toEqual([{ n: 0 }]);
    // The typed HTTP client follows the admission to the shop, where the same hold is made.
    const queueHttp = createHttpClient(queue.url, () => session.accessToken);
    const shopHttp = followShopOverHttp(queueHttp, queue.url, admission, () => session.accessToken);
    expect(shopHttp).not.toBe(queueHttp);
    const heldOverHttp = await shopHttp.seatsHold(ev.id, randomUUID(), { admissionToken: admission.admissionToken, quantity: 1 });
    expect(heldOverHttp).toMatchObject({ ok: true, status: 201 });
    expect((await shopHttp.holdRelease(heldOverHttp.ok ? heldOverHttp.data.holdId : '')).ok).toBe(true);

    const atShop = await connectClient(shop.url, session.accessToken);
    const join = await atShop.queueJoin({ eventId: ev.id });
    expect(join.ok || join.error.code).toBe('FORBIDDEN');
    expect(join.ok || join.error.details).toEqual({ tier: 'queue' });
    // queue:leave runs on either tier (a buyer leaves from wherever they are).
    expect((await atShop.queueLeave({ eventId: ev.id })).ok).toBe(true);
  });

  it('the shop tier serves seat maps and holds only to admitted users; an ended admission is heard at once', async () => {
    const ev = await newEvent();
    const stranger = await registerUser(queue.url);
    const atShop = await connectClient(shop.url, stranger.accessToken);
    const map = await atShop.seatsSubscribe({ eventId: ev.id });
    expect(map.ok || map.error.code).toBe('NOT_ADMITTED');
    const forged = await atShop.seatsHold({ eventId: ev.id, admissionToken: 'x.y.z', idempotencyKey: randomUUID(), quantity: 1 });
    expect(forged.ok || forged.error.code).toBe('NOT_ADMITTED');

    const session = await registerUser(queue.url);
    const waiting = await connectClient(queue.url, session.accessToken);
    const admission = await admitOnQueueTier(waiting, ev.id);
    const buyer = await connectClient(shop.url, session.accessToken);
    expect((await buyer.seatsSubscribe({ eventId: ev.id })).ok).toBe(true);
    // The shop trusts the admission it checked; leaving on the queue tier ends it everywhere,
    // sooner than the shop would check again by itself.
    expect((await waiting.queueLeave({ eventId: ev.id })).ok).toBe(true);
    const after = await buyer.seatsHold({
      eventId: ev.id,
      admissionToken: admission.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 1,
    });
    expect(after.ok || after.error.code).toBe('NOT_ADMITTED');
    const mapAfter = await buyer.seatsSubscribe({ eventId: ev.id });
    expect(mapAfter.ok || mapAfter.error.code).toBe('NOT_ADMITTED');
    expect(await holdRows(ev.id)).toEqual([{ n: 0 }]);
  });

  it('racers admitted on the queue tier and holding on the shop tier sell exactly the inventory', async () => {
    const SEATS = 60;
    const CLIENTS = 240;
    const ev = await newEvent(3, 20);
    const seatIds = await seatIdsInOrder(t.databaseUrl, ev.id);
    expect(seatIds).toHaveLength(SEATS);
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, CLIENTS);
    const racers: { client: EventlyClient; admissionToken: string }[] = [];
    for (let i = 0; i < users.length; i += 80) {
      racers.push(
        ...(await Promise.all(
          users.slice(i, i + 80).map(async (u) => {
            const waiting = await connectClient(queue.url, u.accessToken);
            const admission = await admitOnQueueTier(waiting, ev.id);
            waiting.close();
            const client = followShop(waiting, admission, u.accessToken);
            await client.connected();
            return { client, admissionToken: admission.admissionToken };
          }),
        )),
      );
    }
    const outcomes = await Promise.all(racers.map((r, i) => raceForSeats(r, ev.id, seatIds, i % 5 < 3)));
    for (const r of racers) r.client.close();
    expectEverySeatWonOnce(outcomes, SEATS);
    await checkInvariants(t.databaseUrl);
  }, 60_000);
});
