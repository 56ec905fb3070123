import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import type { PushPayload } from '../../core/contract/pushes.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { checkInvariants } from '../support/check-invariants.js';
import { collectPushes, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gateways: StartedProcess[];
let worker: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ HOLD_SWEEP_CRON: '*/1 * * * * *', WAITLIST_OFFER_TTL_SECONDS: '60' });
  [worker, ...gateways] = await Promise.all([startWorkerProcess(t.env), startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  adminToken = (await loginAdmin(gateways[0]!.url)).accessToken;
});
afterAll(async () => {
  await Promise.all([worker, ...gateways].map((p) => p?.stop()));
});

const url = (i: number) => gateways[i % gateways.length]!.url;

async function signedIn(i: number): Promise<{ userId: string; client: EventlyClient }> {
  const session = await registerUser(url(i));
  return { userId: session.user.id, client: await connectClient(url(i), session.accessToken) };
}

async function holdAll(client: EventlyClient, eventId: string, admissionToken: string, seatIds: string[]) {
  const ack = await client.seatsHold({ eventId, admissionToken, idempotencyKey: randomUUID(), seatIds });
  if (!ack.ok) throw new Error(`hold failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

const entriesOf = (eventId: string) =>
  dbQuery<{ user_id: string; status: string; quantity: number }>(
    t.databaseUrl,
    'SELECT user_id, status, quantity FROM waitlist_entries WHERE event_id = $1 ORDER BY seq',
    [eventId],
  );

describe('waitlist rules (PROTOCOL v1.1)', () => {
  it('refuses joins while the event or the section has seats on sale, and before the sale opens', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      sections: [
        { name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 },
        { name: 'B', priceCents: 500, rows: 1, seatsPerRow: 2 },
      ],
    });
    const user = await signedIn(1);
    const refused = { ok: false, error: { code: 'NOT_ADMITTED', retryable: false, details: { reason: 'seats_available' } } };
    expect(await user.client.waitlistJoin({ eventId: ev.id, quantity: 1 })).toMatchObject(refused);
    expect(await user.client.waitlistJoin({ eventId: ev.id, quantity: 1, section: 'A' })).toMatchObject(refused);

    // Section A sold out (held), B still on sale: A's waitlist opens, the event's and B's do not.
    const owner = await admittedUser(url(0), ev.id);
    const seatsA = (await seatIdsInOrder(t.databaseUrl, ev.id)).slice(0, 2);
    await holdAll(owner.client, ev.id, owner.admissionToken, seatsA);
    expect(await user.client.waitlistJoin({ eventId: ev.id, quantity: 1 })).toMatchObject(refused);
    expect(await user.client.waitlistJoin({ eventId: ev.id, quantity: 1, section: 'B' })).toMatchObject(refused);
    expect(await entriesOf(ev.id)).toEqual([]);
    expect(await user.client.waitlistJoin({ eventId: ev.id, quantity: 1, section: 'A' })).toMatchObject({
      ok: true,
      data: { position: 1, quantity: 1 },
    });

    // Before sale start nobody can pre-load the line, whatever the seats.
    const later = await createTestEvent(url(0), adminToken, {
      saleStartsAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(await user.client.waitlistJoin({ eventId: later.id, quantity: 1 })).toMatchObject(refused);
    expect(await entriesOf(later.id)).toEqual([]);
  });

  it('a user who never queued cannot get freed seats ahead of the waiting room', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }],
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    const owner = await admittedUser(url(0), ev.id);
    const held = await holdAll(owner.client, ev.id, owner.admissionToken, seats);

    // Sold out: a bystander who never queued may join the waitlist now.
    const bystander = await signedIn(1);
    expect(await bystander.client.waitlistJoin({ eventId: ev.id, quantity: 2 })).toMatchObject({
      ok: true,
      data: { position: 1 },
    });
    const offers = collectPushes(bystander.client, 'waitlist:offer');
    // Two people wait in the room (the only slot is the owner's).
    const [q1, q2] = [await signedIn(0), await signedIn(1)];
    const q1Admitted = nextPush(q1.client, 'queue:admitted', (p) => p.eventId === ev.id, 30_000);
    for (const q of [q1, q2])
      expect(await q.client.queueJoin({ eventId: ev.id })).toMatchObject({ ok: true, data: { state: 'waiting' } });

    // The owner lets go: the slot and the seats go to the room, not to the waitlist.
    expect((await owner.client.holdRelease({ holdId: held.holdId })).ok).toBe(true);
    const { admissionToken } = await q1Admitted;
    const q1Hold = await q1.client.seatsHold({ eventId: ev.id, admissionToken, idempotencyKey: randomUUID(), quantity: 1 });
    expect(q1Hold.ok, JSON.stringify(q1Hold)).toBe(true);
    // q2 still waits: sweeps (every second) and the release's offer job must leave the free seat alone.
    await new Promise((r) => setTimeout(r, 3000));
    expect(offers.items).toEqual([]);
    expect(await entriesOf(ev.id)).toMatchObject([{ user_id: bystander.userId, status: 'waiting' }]);
    const [{ available }] = await dbQuery(
      t.databaseUrl,
      `SELECT count(*)::int AS available FROM seats WHERE event_id = $1 AND status = 'available'`,
      [ev.id],
    );
    expect(available).toBe(1);

    // The room empties: now the freed seat becomes the waitlist's offer.
    const offered = nextPush(bystander.client, 'waitlist:offer', (p) => p.eventId === ev.id, 30_000);
    expect((await q2.client.queueLeave({ eventId: ev.id })).ok).toBe(true);
    const offer = await offered;
    const q1Seats = q1Hold.ok ? q1Hold.data.seats.map((s) => s.id) : [];
    expect(offer.seats).toHaveLength(1);
    expect(q1Seats).not.toContain(offer.seats[0]!.id);
    await checkInvariants(t.databaseUrl);
  }, 90_000);

  it('offers keep each user within maxSeatsPerUser, in join order', async () => {
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      maxSeatsPerUser: 2,
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 4 }],
    });
    const seats = await seatIdsInOrder(t.databaseUrl, ev.id);
    // u already owns one seat; the owner holds the rest.
    const u = await admittedUser(url(0), ev.id);
    const mine = await holdAll(u.client, ev.id, u.admissionToken, seats.slice(0, 1));
    expect(
      (await u.client.holdConfirm({ holdId: mine.holdId, idempotencyKey: randomUUID(), payment: { method: 'mock' } })).ok,
    ).toBe(true);
    const owner = await admittedUser(url(1), ev.id);
    const ownerHold = await holdAll(owner.client, ev.id, owner.admissionToken, seats.slice(1, 3));
    const last = await admittedUser(url(1), ev.id);
    await holdAll(last.client, ev.id, last.admissionToken, seats.slice(3));
    const v = await signedIn(1);
    expect(await u.client.waitlistJoin({ eventId: ev.id, quantity: 2 })).toMatchObject({ ok: true, data: { position: 1 } });
    expect(await v.client.waitlistJoin({ eventId: ev.id, quantity: 2 })).toMatchObject({ ok: true, data: { position: 2 } });
    const uOffer = nextPush(u.client, 'waitlist:offer', (p) => p.eventId === ev.id, 30_000);
    const vOffer = nextPush(v.client, 'waitlist:offer', (p) => p.eventId === ev.id, 30_000);
    // Two seats free up: u may only take one more (2 - 1 owned); the other goes to v.
    expect((await owner.client.holdRelease({ holdId: ownerHold.holdId })).ok).toBe(true);
    const [a, b] = (await Promise.all([uOffer, vOffer])) as [PushPayload<'waitlist:offer'>, PushPayload<'waitlist:offer'>];
    expect(a.seats).toHaveLength(1);
    expect(b.seats).toHaveLength(1);
    expect([a.seats[0]!.id, b.seats[0]!.id].sort()).toEqual(seats.slice(1, 3).sort());
    const [{ owned }] = await dbQuery(
      t.databaseUrl,
      `SELECT (SELECT coalesce(sum(seat_count), 0) FROM holds WHERE user_id = $1 AND event_id = $2 AND status = 'active')
            + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
                WHERE b.user_id = $1 AND b.event_id = $2 AND b.status = 'confirmed') AS owned`,
      [u.userId, ev.id],
    );
    expect(Number(owned)).toBe(2);
    await checkInvariants(t.databaseUrl);
  }, 90_000);

  it('many users joining a sold-out event at once each get one entry and a distinct place in join order', async () => {
    const JOINERS = 80;
    const ev = await createTestEvent(url(0), adminToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }],
    });
    const owner = await admittedUser(url(0), ev.id);
    await holdAll(owner.client, ev.id, owner.admissionToken, await seatIdsInOrder(t.databaseUrl, ev.id));
    const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, JOINERS);
    const clients = await Promise.all(users.map((u, i) => connectClient(url(i), u.accessToken)));
    // Every user joins twice at the same time (two tabs); all of them at once. Like any client,
    // they retry what the server calls retryable (a pool wait on a loaded machine).
    const join = async (c: EventlyClient, quantity: number) => {
      for (let attempt = 0; ; attempt++) {
        const ack = await c.waitlistJoin({ eventId: ev.id, quantity }, { timeoutMs: 30_000 });
        if (ack.ok || !ack.error.retryable || attempt >= 10) return ack;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
      }
    };
    const acks = await Promise.all(clients.flatMap((c, i) => [0, 1].map(() => join(c, 1 + (i % 2)))));
    for (const a of acks) expect(a.ok, JSON.stringify(a)).toBe(true);
    const entries = await entriesOf(ev.id);
    expect(entries).toHaveLength(JOINERS);
    expect(new Set(entries.map((e) => e.user_id)).size).toBe(JOINERS);
    // Each user's two acks name the same place, and the places are 1..N in the order of the line.
    const placeOf = new Map<string, number>();
    acks.forEach((a, k) => {
      if (!a.ok) return;
      const userId = users[Math.floor(k / 2)]!.userId;
      const seen = placeOf.get(userId);
      if (seen === undefined) placeOf.set(userId, a.data.position);
      else expect(a.data.position).toBe(seen);
    });
    expect(entries.map((e) => placeOf.get(e.user_id))).toEqual(entries.map((_, i) => i + 1));
    await waitUntil('positions stay stable', async () => (await entriesOf(ev.id)).every((e) => e.status === 'waiting'));
    await checkInvariants(t.databaseUrl);
    // The joins really were written in batches (group commit), not one lock turn each.
    const batched = await Promise.all(
      gateways.map(async (g) => {
        const text = (await http<string>(g.url, 'GET', '/metrics', { headers: metricsAuth })).body;
        const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
        return value('evently_waitlist_join_batch_size_sum') > value('evently_waitlist_join_batch_size_count');
      }),
    );
    expect(batched).toContain(true);
  }, 90_000);
});
