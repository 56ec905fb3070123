import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../core/contract/http.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin } from '../support/http-client.js';
import { admitRacers, type Racer } from '../support/racers.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gateways: StartedProcess[];
let adminToken: string;

beforeAll(async () => {
  t = await createTestEnv({ HOLD_SWEEP_CRON: '*/1 * * * * *', WAITLIST_OFFER_TTL_SECONDS: '30' });
  gateways = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await Promise.all([startWorkerProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gateways[0]!.url)).accessToken;
});

const urls = () => gateways.map((g) => g.url);

async function newEvent(seats: number, overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  return createTestEvent(gateways[0]!.url, adminToken, {
    admission: OPEN_ADMISSION,
    sections: [{ name: 'A', priceCents: 1500, rows: 1, seatsPerRow: seats }],
    ...overrides,
  });
}

async function seatsOf(eventId: string): Promise<string[]> {
  const rows = await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 ORDER BY number', [
    eventId,
  ]);
  return rows.map((r) => r.id);
}

async function holdOne(r: Racer, eventId: string, seatIds: string[]) {
  const ack = await r.client.seatsHold({ eventId, admissionToken: r.admissionToken, idempotencyKey: randomUUID(), seatIds });
  if (!ack.ok) throw new Error(`hold failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

const confirm = (r: Racer, holdId: string, key = randomUUID()) =>
  r.client.holdConfirm({ holdId, idempotencyKey: key, payment: { method: 'mock' } }, { timeoutMs: 30_000 });

const sleep = (ms: number) => new Promise((res) => setTimeout(res, Math.max(0, ms)));

describe('races between confirm, expiry, release and cancel', () => {
  it('confirm vs expiry at the same instant, 200 times: exactly one wins each time', async () => {
    const ev = await newEvent(200, { holdTtlSeconds: 5 });
    const seats = await seatsOf(ev.id);
    const racers = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls(), ev.id, 200);
    const holds = await Promise.all(racers.map((r, i) => holdOne(r, ev.id, [seats[i] as string])));
    // Each confirm lands within ±150 ms of its hold's expiry, where the worker's job fires too.
    const acks = await Promise.all(
      holds.map(async (h, i) => {
        await sleep(Date.parse(h.expiresAt) - Date.now() + (Math.random() * 300 - 150));
        return confirm(racers[i] as Racer, h.holdId);
      }),
    );
    for (const [i, ack] of acks.entries()) {
      if (!ack.ok) expect(ack.error.code, `hold ${i}`).toBe('HOLD_EXPIRED');
    }
    // Let the expiry side finish for every hold that lost nothing to confirm.
    for (let i = 0; i < 100; i++) {
      const [left] = await dbQuery(
        t.databaseUrl,
        `SELECT count(*)::int AS n FROM holds WHERE event_id = $1 AND status = 'active'`,
        [ev.id],
      );
      if (left.n === 0) break;
      await sleep(200);
    }
    const rows = await dbQuery<{ id: string; status: string; booked: boolean }>(
      t.databaseUrl,
      `SELECT h.id, h.status, EXISTS (SELECT 1 FROM bookings b WHERE b.hold_id = h.id) AS booked FROM holds h WHERE h.event_id = $1`,
      [ev.id],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const [i, h] of holds.entries()) {
      const row = byId.get(h.holdId);
      const ack = acks[i];
      // Never both, never neither: the ack, the hold and the booking agree.
      expect(row?.status).toBe(ack?.ok ? 'confirmed' : 'expired');
      expect(row?.booked).toBe(ack?.ok === true);
    }
    const confirmed = acks.filter((a) => a.ok).length;
    console.info(`confirm vs expiry: ${confirmed} confirmed, ${200 - confirmed} expired`);
    const [seatCounts] = await dbQuery(
      t.databaseUrl,
      `SELECT count(*) FILTER (WHERE status = 'sold')::int AS sold, count(*) FILTER (WHERE status = 'available')::int AS available
         FROM seats WHERE event_id = $1`,
      [ev.id],
    );
    expect(seatCounts).toEqual({ sold: confirmed, available: 200 - confirmed });
    await checkInvariants(t.databaseUrl);
  }, 90_000);

  it('double confirm, double cancel, confirm racing release: one legal end state each', async () => {
    const ev = await newEvent(20, { holdTtlSeconds: 3600 });
    const seats = await seatsOf(ev.id);
    const [a, b] = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls(), ev.id, 2);
    if (!a || !b) throw new Error('no racers');

    // Two confirms with different keys at once: one booking; the other is told it is confirmed.
    const h1 = await holdOne(a, ev.id, [seats[0] as string, seats[1] as string]);
    const pair = await Promise.all([confirm(a, h1.holdId), confirm(a, h1.holdId)]);
    expect(pair.filter((x) => x.ok)).toHaveLength(1);
    expect(pair.find((x) => !x.ok)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const booking = pair.find((x) => x.ok);
    if (!booking?.ok) throw new Error('no booking');

    // Release after confirm changes nothing.
    const lateRelease = await a.client.holdRelease({ holdId: h1.holdId });
    expect(lateRelease).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    // Two cancels at once: one refund, seats freed once (version bumped once).
    const cancels = await Promise.all([
      a.client.bookingCancel({ bookingId: booking.data.bookingId }),
      a.client.bookingCancel({ bookingId: booking.data.bookingId }),
    ]);
    expect(cancels.filter((x) => x.ok)).toHaveLength(1);
    expect(cancels.find((x) => !x.ok)).toMatchObject({ ok: false, error: { code: 'ALREADY_CANCELLED' } });
    const versions = await dbQuery(t.databaseUrl, 'SELECT status, version FROM seats WHERE id = ANY($1) ORDER BY id', [
      [seats[0], seats[1]],
    ]);
    expect(versions).toEqual([
      { status: 'available', version: 3 },
      { status: 'available', version: 3 },
    ]);

    // Someone else's booking and hold are not theirs to touch.
    const h2 = await holdOne(b, ev.id, [seats[2] as string]);
    expect(await confirm(a, h2.holdId)).toMatchObject({ ok: false, error: { code: 'HOLD_NOT_FOUND' } });
    expect(await a.client.holdRelease({ holdId: h2.holdId })).toMatchObject({ ok: false, error: { code: 'HOLD_NOT_FOUND' } });
    expect(await b.client.bookingCancel({ bookingId: booking.data.bookingId })).toMatchObject({
      ok: false,
      error: { code: 'BOOKING_NOT_FOUND' },
    });

    // Confirm racing release, 20 times: exactly one of them succeeds.
    for (let i = 3; i < 13; i++) {
      const h = await holdOne(b, ev.id, [seats[i] as string]);
      const [c, r] = await Promise.all([confirm(b, h.holdId), b.client.holdRelease({ holdId: h.holdId })]);
      expect([c.ok, r.ok].filter(Boolean)).toHaveLength(1);
      if (c.ok) {
        const cancelled = await b.client.bookingCancel({ bookingId: c.data.bookingId });
        expect(cancelled.ok).toBe(true);
      }
    }
    await checkInvariants(t.databaseUrl);
  }, 60_000);

  it('a cancellation racing a waitlist offer and other holds ends with every seat in one place', async () => {
    const ev = await newEvent(4, { holdTtlSeconds: 3600, maxSeatsPerUser: 4 });
    const seats = await seatsOf(ev.id);
    const [owner, waiter, grabber] = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls(), ev.id, 3);
    if (!owner || !waiter || !grabber) throw new Error('no racers');
    const h = await holdOne(owner, ev.id, seats);
    const booked = await confirm(owner, h.holdId);
    if (!booked.ok) throw new Error('confirm failed');
    expect(await waiter.client.waitlistJoin({ eventId: ev.id, quantity: 2 })).toMatchObject({ ok: true, data: { position: 1 } });
    const offer = nextPush(waiter.client, 'waitlist:offer', (p) => p.eventId === ev.id, 20_000);
    offer.catch(() => {});
    // The grabber hammers best-available while the cancel frees the seats and the worker offers.
    const grabs = (async () => {
      const got: string[] = [];
      for (let i = 0; i < 40 && got.length < 2; i++) {
        const ack = await grabber.client.seatsHold({
          eventId: ev.id,
          admissionToken: grabber.admissionToken,
          idempotencyKey: randomUUID(),
          quantity: 1,
        });
        if (ack.ok) got.push(...ack.data.seats.map((s) => s.id));
        else await sleep(5);
      }
      return got;
    })();
    const cancelled = await owner.client.bookingCancel({ bookingId: booked.data.bookingId });
    expect(cancelled.ok).toBe(true);
    const grabbed = await grabs;
    const offered = await offer;
    const offeredIds = offered.seats.map((s) => s.id);
    expect(offeredIds.filter((id) => grabbed.includes(id))).toEqual([]);
    expect(offeredIds.length).toBeGreaterThan(0);
    const confirmedOffer = await confirm(waiter, offered.holdId);
    expect(confirmedOffer.ok).toBe(true);
    await checkInvariants(t.databaseUrl);
  }, 60_000);

  it('an offer not confirmed in time passes to the next entry', async () => {
    const ev = await newEvent(1, { holdTtlSeconds: 3600 });
    const [seat] = await seatsOf(ev.id);
    const [owner, first, second] = await admitRacers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, urls(), ev.id, 3);
    if (!owner || !first || !second || !seat) throw new Error('no racers');
    const h = await holdOne(owner, ev.id, [seat]);
    await first.client.waitlistJoin({ eventId: ev.id, quantity: 1 });
    await second.client.waitlistJoin({ eventId: ev.id, quantity: 1 });
    const firstOffer = nextPush(first.client, 'waitlist:offer', () => true, 20_000);
    await owner.client.holdRelease({ holdId: h.holdId });
    const o1 = await firstOffer;
    // Age the offer in Postgres instead of waiting out its TTL; the sweep then expires it.
    const secondOffer = nextPush(second.client, 'waitlist:offer', () => true, 20_000);
    const expired = nextPush(first.client, 'hold:expired', (p) => p.holdId === o1.holdId, 20_000);
    await dbQuery(t.databaseUrl, `UPDATE holds SET expires_at = now() - interval '1 second' WHERE id = $1`, [o1.holdId]);
    await expired;
    const o2 = await secondOffer;
    expect(o2.seats.map((s) => s.id)).toEqual([seat]);
    expect(await confirm(first, o1.holdId)).toMatchObject({ ok: false, error: { code: 'HOLD_EXPIRED' } });
    const entries = await dbQuery(
      t.databaseUrl,
      'SELECT user_id, status FROM waitlist_entries WHERE event_id = $1 ORDER BY seq',
      [ev.id],
    );
    expect(entries.map((e) => e.status)).toEqual(['lapsed', 'offered']);
    await checkInvariants(t.databaseUrl);
  }, 60_000);
});
