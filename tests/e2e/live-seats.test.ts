import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SeatLayout } from '../../core/contract/http.js';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { collectPushes, connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { followCompact, followFull } from '../support/seat-views.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gws: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ SEAT_REPAIR_INTERVAL_MS: '1000' });
  gws = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gws[0]?.url as string)).accessToken;
}, 180_000);

const url = (i: number) => (gws[i] as StartedProcess).url;
const CHAR = { available: 'a', held: 'h', sold: 's' } as const;

async function newEvent(rows = 2, seatsPerRow = 10) {
  return createTestEvent(url(0), adminToken, {
    admission: OPEN_ADMISSION,
    holdTtlSeconds: 3600,
    sections: [
      { name: 'A', priceCents: 5000, rows, seatsPerRow },
      { name: 'B', priceCents: 2500, rows: 1, seatsPerRow },
    ],
  });
}

async function layoutOf(eventId: string): Promise<SeatLayout> {
  const res = await http<SeatLayout>(url(1), 'GET', `/api/events/${eventId}/seats`);
  expect(res.status).toBe(200);
  return res.body;
}

/** The truth, as a compact string in layout order. */
async function dbCompact(layout: SeatLayout): Promise<string> {
  const rows = await dbQuery<{ id: string; status: keyof typeof CHAR }>(
    t.databaseUrl,
    'SELECT id, status FROM seats WHERE event_id = $1',
    [layout.eventId],
  );
  const byId = new Map(rows.map((r) => [r.id, CHAR[r.status]]));
  return layout.seats.map((s) => byId.get(s.id)).join('');
}

function hold(u: AdmittedUser, eventId: string, quantity: number) {
  return u.client.seatsHold({ eventId, admissionToken: u.admissionToken, idempotencyKey: randomUUID(), quantity });
}

describe('seat layout over HTTP', () => {
  it('is static with stable indexes, a strong ETag answering 304, and public caching', async () => {
    const ev = await newEvent();
    const first = await http<SeatLayout>(url(0), 'GET', `/api/events/${ev.id}/seats`);
    expect(first.status).toBe(200);
    expect(first.body.seats.map((s) => s.index)).toEqual([...Array(30).keys()]);
    expect(first.body.sections.map((s) => s.name)).toEqual(['A', 'B']);
    expect(first.body.seats[0]).toMatchObject({ section: 'A', row: 1, number: 1, priceCents: 5000 });
    expect(first.body.seats[29]).toMatchObject({ section: 'B', row: 1, number: 10, priceCents: 2500 });
    const etag = first.headers.get('etag') as string;
    expect(etag).toMatch(/^"[^"]+"$/); // strong: no W/ prefix
    expect(first.headers.get('cache-control')).toMatch(/public/);
    // Another gateway builds the same bytes, so the validator works behind any load balancer.
    const other = await http(url(2), 'GET', `/api/events/${ev.id}/seats`, { headers: { 'if-none-match': etag } });
    expect(other.status).toBe(304);
    expect(other.body).toBeUndefined();
    // After seats change the layout (and its ETag) stay the same.
    const u = await admittedUser(url(0), ev.id);
    expect((await hold(u, ev.id, 2)).ok).toBe(true);
    const again = await http<SeatLayout>(url(0), 'GET', `/api/events/${ev.id}/seats`);
    expect(again.headers.get('etag')).toBe(etag);
    expect(again.body).toEqual(first.body);
    expect((await http(url(0), 'GET', `/api/events/${ev.id}/seats`, { headers: { 'if-none-match': '"nope"' } })).status).toBe(
      200,
    );
  });

  it('refuses bad ids and unknown events', async () => {
    expect((await http(url(0), 'GET', '/api/events/not-a-uuid/seats')).status).toBe(400);
    expect((await http(url(0), 'GET', `/api/events/${randomUUID()}/seats`)).status).toBe(404);
  });
});

describe('live seat state in gateway memory', () => {
  it('compact and full subscribers on 3 gateways see identical state after a mixed burst', async () => {
    const ev = await newEvent(4, 10); // 50 seats
    const layout = await layoutOf(ev.id);
    // One socket per format and gateway: a socket follows the format it subscribed with last.
    const full = await Promise.all(gws.map(async (g) => followFull(await connectClient(g.url), ev.id)));
    const compact = await Promise.all(gws.map(async (g) => followCompact(await connectClient(g.url), ev.id)));
    expect(compact[0]?.status()).toBe('a'.repeat(50));

    // Buyers on every gateway hold, then some confirm and some release, all at once.
    const buyers = await Promise.all([...Array(12).keys()].map((i) => admittedUser(url(i % 3), ev.id)));
    const holds = await Promise.all(buyers.map((b) => hold(b, ev.id, 1 + (buyers.indexOf(b) % 3))));
    await Promise.all(
      holds.map((h, i) => {
        const b = buyers[i] as AdmittedUser;
        if (!h.ok) return null;
        if (i % 3 === 0) return b.client.holdRelease({ holdId: h.data.holdId });
        if (i % 3 === 1)
          return b.client.holdConfirm({ holdId: h.data.holdId, idempotencyKey: randomUUID(), payment: { method: 'mock' } });
        return null;
      }),
    );
    const truth = await dbCompact(layout);
    expect(truth).toMatch(/s/);
    expect(truth).toMatch(/h/);
    const fullCompact = (f: Awaited<ReturnType<typeof followFull>>) =>
      layout.seats.map((s) => CHAR[f.statusOf(s.id) as keyof typeof CHAR]).join('');
    await waitUntil('every subscriber on every gateway agrees with Postgres', () => {
      const views = [...full.map(fullCompact), ...compact.map((c) => c.status())];
      if (process.env.DEBUG_VIEWS) console.log(truth, views);
      return views.every((s) => s === truth);
    });
    // In order, nothing missed: no compact subscriber had to resync.
    expect(compact.map((c) => c.resyncs())).toEqual([0, 0, 0]);
    // A fresh subscribe anywhere answers the same.
    const late = await connectClient(url(2));
    const reply = await late.seatsSubscribe({ eventId: ev.id, format: 'compact' });
    expect(reply.ok && reply.data.status).toBe(truth);
    await checkInvariants(t.databaseUrl);
  });

  it('a seq gap makes the client resubscribe, after which it agrees with Postgres again', async () => {
    const ev = await newEvent();
    const layout = await layoutOf(ev.id);
    const watcher = await connectClient(url(1));
    let dropped = 0;
    // Lose the first delta, as a client that missed a push would.
    const view = await followCompact(watcher, ev.id, () => dropped++ === 0);
    const u = await admittedUser(url(0), ev.id);
    expect((await hold(u, ev.id, 2)).ok).toBe(true);
    // The second hold must come as a delta of its own: had both arrived inside one coalescing
    // window of the watcher's gateway they would be one delta, lost whole, with nothing left to
    // reveal the gap.
    await waitUntil('the first delta arrived and was lost', () => dropped >= 1);
    expect((await hold(u, ev.id, 1)).ok).toBe(true);
    const truth = await dbCompact(layout);
    await waitUntil('the client resynced', () => {
      if (process.env.DEBUG_VIEWS) console.log(truth, view.status(), view.resyncs(), view.seq(), dropped);
      return view.resyncs() === 1 && view.status() === truth;
    });
  });

  it('repairs a change whose committing gateway died between commit and publish, within 5 s', async () => {
    const ev = await newEvent();
    const layout = await layoutOf(ev.id);
    const doomed = await startGatewayProcess({ ...t.env, TEST_EXIT_AFTER_COMMIT: 'true' });
    const full = await Promise.all([0, 2].map(async (i) => followFull(await connectClient(url(i)), ev.id)));
    const compact = await Promise.all([0, 2].map(async (i) => followCompact(await connectClient(url(i)), ev.id)));
    const u = await admittedUser(doomed.url, ev.id);
    const exited = new Promise<number>((resolve) => doomed.child.once('exit', () => resolve(Date.now())));
    u.client
      .send('seats:hold', { eventId: ev.id, admissionToken: u.admissionToken, idempotencyKey: randomUUID(), quantity: 2 })
      .catch(() => {}); // never acked: the gateway dies first
    const diedAt = await exited;
    u.client.close();
    const truth = await dbCompact(layout);
    expect(truth.replace(/a/g, '')).toBe('hh'); // committed, never published
    const heldIds = layout.seats.filter((_s, i) => truth[i] === 'h').map((s) => s.id);
    await waitUntil(
      'the repair pass pushed the held seats to every subscriber',
      () => compact.every((c) => c.status() === truth) && full.every((f) => heldIds.every((id) => f.statusOf(id) === 'held')),
      5_000,
    );
    expect(Date.now() - diedAt).toBeLessThan(5_000);
  });

  it('pushes availability summaries at most once per second, to availability subscribers only', async () => {
    const ev = await newEvent();
    const watcher = await connectClient(url(1));
    const first = await watcher.availabilitySubscribe({ eventId: ev.id });
    expect(first.ok && first.data).toMatchObject({
      eventId: ev.id,
      capacity: 30,
      available: 30,
      sections: [
        { name: 'A', capacity: 20, available: 20 },
        { name: 'B', capacity: 10, available: 10 },
      ],
    });
    const seatWatcher = await connectClient(url(1));
    const perSeat = collectPushes(watcher, 'seats:changed');
    const deltas = collectPushes(watcher, 'seats:delta');
    const pushes: { at: number; available: number }[] = [];
    watcher.on('availability:changed', (p) => pushes.push({ at: Date.now(), available: p.available }));
    const seatPushes = collectPushes(seatWatcher, 'seats:delta');
    await followCompact(seatWatcher, ev.id);
    const u = await admittedUser(url(0), ev.id);
    // Six holds spread over ~2.5 s: per-seat subscribers get each, availability at most 1/s.
    const started = Date.now();
    for (let i = 0; i < 6; i++) {
      expect((await hold(u, ev.id, 1)).ok).toBe(true);
      await new Promise((r) => setTimeout(r, 400));
    }
    await waitUntil('the last summary arrived', () => pushes.at(-1)?.available === 24, 10_000);
    const elapsed = Date.now() - started;
    for (let i = 1; i < pushes.length; i++) {
      // Server-side spacing is 1000 ms; allow for delivery jitter on a loaded machine.
      expect((pushes[i]?.at as number) - (pushes[i - 1]?.at as number)).toBeGreaterThanOrEqual(700);
    }
    expect(pushes.length).toBeLessThanOrEqual(Math.ceil(elapsed / 1000) + 1);
    expect(pushes.length).toBeLessThan(6);
    expect(seatPushes.items.length).toBeGreaterThanOrEqual(1);
    // The availability-only socket never got per-seat pushes.
    expect(perSeat.items).toHaveLength(0);
    expect(deltas.items).toHaveLength(0);
  });
});

describe('bad input on the new commands', () => {
  const cases: [string, string, () => unknown, string][] = [
    ['subscribe: unknown format', 'seats:subscribe', () => ({ eventId: randomUUID(), format: 'tiny' }), 'VALIDATION_FAILED'],
    ['subscribe: format not a string', 'seats:subscribe', () => ({ eventId: randomUUID(), format: 1 }), 'VALIDATION_FAILED'],
    ['subscribe compact: unknown event', 'seats:subscribe', () => ({ eventId: randomUUID(), format: 'compact' }), 'NOT_FOUND'],
    ['availability: not a uuid', 'availability:subscribe', () => ({ eventId: 'x' }), 'VALIDATION_FAILED'],
    ['availability: extra field', 'availability:subscribe', () => ({ eventId: randomUUID(), x: 1 }), 'VALIDATION_FAILED'],
    ['availability: unknown event', 'availability:subscribe', () => ({ eventId: randomUUID() }), 'NOT_FOUND'],
    ['availability: no payload', 'availability:subscribe', () => undefined, 'VALIDATION_FAILED'],
    ['availability unsubscribe: not a uuid', 'availability:unsubscribe', () => ({ eventId: 7 }), 'VALIDATION_FAILED'],
  ];
  it.each(cases)('%s', async (_name, command, payload, code) => {
    const c = await connectClient(url(0));
    const ack = await c.send(command, payload());
    expect(ack.ok === false && ack.error.code).toBe(code);
  });
});
