import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { admit, OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * HTTP pollers wait in one event's room while socket buyers take the seats of another, through
 * two gateways. The pollers share one address (a carrier's NAT, through a trusted proxy) and
 * poll far faster than refreshAfterMs asks: the shared per-address allowance sheds them with 429
 * and Retry-After while the buyers are served, and nobody is oversold. CI runs 200 + 200;
 * HTTP_POLLERS=1000 SOCKET_BUYERS=1000 runs the size the issue names (minutes on two cores).
 */
const POLLERS = Number(process.env.HTTP_POLLERS ?? 200);
const BUYERS = Number(process.env.SOCKET_BUYERS ?? 200);
const CAPACITY = Math.floor(BUYERS * 0.75);
const POLL_ADDRESS = '198.51.100.7';
const ADDRESS_PER_SECOND = 150;

let t: TestEnv;
let gw: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ TRUSTED_PROXIES: '127.0.0.1', ADDRESS_COMMANDS_PER_SECOND: String(ADDRESS_PER_SECOND) });
  gw = [await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw1' }), await startGatewayProcess({ ...t.env, INSTANCE_ID: 'gw2' })];
  await startWorkerProcess({ ...t.env, INSTANCE_ID: 'worker1' });
  adminToken = (await loginAdmin((gw[0] as StartedProcess).url)).accessToken;
}, 120_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Sends a command again after retryAfterMs while the server says it is retryable. */
async function persist<T>(
  send: () => Promise<{ ok: true; data: T } | { ok: false; error: { code: string; retryable: boolean; details?: unknown } }>,
) {
  for (let attempt = 0; ; attempt++) {
    const r = await send();
    if (r.ok || !r.error.retryable || attempt > 50) return r;
    await sleep((r.error.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 200);
  }
}

describe('HTTP polling next to socket buyers', () => {
  it('sheds pollers with Retry-After over the shared limit and sells no seat twice', async () => {
    const urls = gw.map((g) => g.url);
    const room = await createTestEvent(urls[0] as string, adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 60_000, sessionTtlSeconds: 600 },
    });
    const sale = await createTestEvent(urls[0] as string, adminToken, {
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 600,
      sections: [{ name: 'A', priceCents: 2500, rows: Math.ceil(CAPACITY / 25), seatsPerRow: 25 }],
    });
    const capacity = Math.ceil(CAPACITY / 25) * 25;
    const [pollUsers, buyUsers] = await Promise.all([
      createBulkUsers(t.databaseUrl, t.config.jwtAccessSecret, POLLERS),
      createBulkUsers(t.databaseUrl, t.config.jwtAccessSecret, BUYERS),
    ]);
    const poll = (i: number, method: string, token: string) =>
      fetch(`${urls[i % 2]}/api/events/${room.id}/queue`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': POLL_ADDRESS },
      });
    // Pollers take their places first (joins are shed too: they come back after Retry-After).
    await Promise.all(
      pollUsers.map(async (u, i) => {
        for (;;) {
          const r = await poll(i, 'POST', u.accessToken);
          if (r.status === 200) return;
          expect(r.status).toBe(429);
          await sleep(Number(r.headers.get('retry-after')) * 1000);
        }
      }),
    );
    const clients: EventlyClient[] = [];
    for (let i = 0; i < buyUsers.length; i += 100) {
      clients.push(
        ...(await Promise.all(
          buyUsers.slice(i, i + 100).map((u, j) => connectClient(urls[(i + j) % 2] as string, u.accessToken)),
        )),
      );
    }

    const tally = { ok: 0, shed: 0, withoutRetryAfter: 0, waitingWithoutRefresh: 0 };
    let selling = true;
    const pollers = pollUsers.map(async (u, i) => {
      while (selling) {
        const r = await poll(i, 'GET', u.accessToken);
        const body = (await r.json()) as { state?: string; refreshAfterMs?: number };
        if (r.status === 429 || r.status === 503) {
          tally.shed += 1;
          if (!r.headers.get('retry-after')) tally.withoutRetryAfter += 1;
        } else {
          expect(r.status).toBe(200);
          tally.ok += 1;
          if (body.state === 'waiting' && !(Number(body.refreshAfterMs) >= 5000)) tally.waitingWithoutRefresh += 1;
        }
        await sleep(100);
      }
    });
    const outcomes = await Promise.all(
      clients.map(async (client) => {
        let admission: string;
        try {
          admission = await admit(client, sale.id);
        } catch (err) {
          return String(err);
        }
        const held = await persist(() =>
          client.seatsHold({ eventId: sale.id, admissionToken: admission, idempotencyKey: randomUUID(), quantity: 1 }),
        );
        if (!held.ok) return held.error.code;
        const key = randomUUID();
        const paid = await persist(() =>
          client.holdConfirm({ holdId: held.data.holdId, idempotencyKey: key, payment: { method: 'mock' } }),
        );
        return paid.ok ? 'booked' : paid.error.code;
      }),
    );
    selling = false;
    await Promise.all(pollers);

    const booked = outcomes.filter((o) => o === 'booked').length;
    const counts: Record<string, number> = {};
    for (const o of outcomes) counts[o] = (counts[o] ?? 0) + 1;
    process.stdout.write(`polling load: ${POLLERS} pollers, ${BUYERS} buyers: ${JSON.stringify({ tally, counts })}\n`);
    // Every seat sold once, to a buyer told so; the rest told SOLD_OUT.
    expect(booked).toBe(Math.min(capacity, BUYERS));
    for (const o of outcomes) expect(['booked', 'SOLD_OUT', 'SEAT_UNAVAILABLE']).toContain(o);
    const sold = await dbQuery(t.databaseUrl, "SELECT count(*)::int AS n FROM seats WHERE event_id = $1 AND status = 'sold'", [
      sale.id,
    ]);
    expect(sold[0].n).toBe(booked);
    await checkInvariants(t.databaseUrl);
    // The pollers were answered, shed over their address's allowance, and told when to return.
    expect(tally.ok).toBeGreaterThan(0);
    expect(tally.shed).toBeGreaterThan(0);
    expect(tally.withoutRetryAfter).toBe(0);
    expect(tally.waitingWithoutRefresh).toBe(0);
  }, 120_000);
});
