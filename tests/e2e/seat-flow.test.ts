import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventDetail } from '../../core/contract/http.js';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { collectPushes, connectClient, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery, seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gwA: StartedProcess;
let gwB: StartedProcess;
let databaseUrl: string;
let adminToken: string;

beforeAll(async () => {
  const t = await createTestEnv({ HOLD_TTL_SECONDS: '5', HOLD_SWEEP_CRON: '*/1 * * * * *', WAITLIST_OFFER_TTL_SECONDS: '5' });
  databaseUrl = t.databaseUrl;
  [gwA, gwB] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  adminToken = (await loginAdmin(gwA.url)).accessToken;
});

async function newEvent(overrides: Record<string, unknown> = {}): Promise<EventDetail> {
  return createTestEvent(gwA.url, adminToken, { admission: OPEN_ADMISSION, holdTtlSeconds: 3600, ...overrides });
}

const seatIdsOf = (eventId: string) => seatIdsInOrder(databaseUrl, eventId);

function hold(u: AdmittedUser, eventId: string, extra: Record<string, unknown>) {
  return u.client.send('seats:hold', { eventId, admissionToken: u.admissionToken, idempotencyKey: randomUUID(), ...extra });
}

describe('seat map, holds, confirmation, bookings', () => {
  it('holds, confirms, lists and cancels, with seat-map pushes on both gateways', async () => {
    const ev = await newEvent();
    const seats = await seatIdsOf(ev.id);
    const watcher = await connectClient(gwB.url);
    const snapshot = await watcher.seatsSubscribe({ eventId: ev.id });
    expect(snapshot.ok).toBe(true);
    if (!snapshot.ok) return;
    expect(snapshot.data.seats).toHaveLength(20);
    expect(snapshot.data.seats.every((s) => s.status === 'available' && s.version === 0)).toBe(true);

    const u = await admittedUser(gwA.url, ev.id);
    const heldPush = nextPush(watcher, 'seats:changed', (p) =>
      p.changes.some((c) => c.seatId === seats[0] && c.status === 'held'),
    );
    const held = await u.client.seatsHold({
      eventId: ev.id,
      admissionToken: u.admissionToken,
      idempotencyKey: 'k1',
      seatIds: [seats[0] as string, seats[1] as string],
    });
    expect(held.ok).toBe(true);
    if (!held.ok) return;
    expect(held.data.seats.map((s) => s.id).sort()).toEqual([seats[0], seats[1]].sort());
    expect(held.data.totalCents).toBe(10_000);
    // Both seats of the hold arrive in one coalesced push, each at version 1.
    expect((await heldPush).changes.filter((c) => c.seatId === seats[0] || c.seatId === seats[1])).toEqual(
      expect.arrayContaining([
        { seatId: seats[0], status: 'held', version: 1 },
        { seatId: seats[1], status: 'held', version: 1 },
      ]),
    );

    const soldPush = nextPush(watcher, 'seats:changed', (p) =>
      p.changes.some((c) => c.seatId === seats[0] && c.status === 'sold'),
    );
    const confirmed = await u.client.holdConfirm({ holdId: held.data.holdId, idempotencyKey: 'c1', payment: { method: 'mock' } });
    expect(confirmed.ok).toBe(true);
    if (!confirmed.ok) return;
    expect(confirmed.data).toMatchObject({ eventId: ev.id, totalCents: 10_000, status: 'confirmed' });
    expect((await soldPush).changes.find((c) => c.seatId === seats[0])?.version).toBe(2);

    const list = await u.client.bookingList({});
    expect(list.ok && list.data.bookings.map((b) => b.bookingId)).toEqual([confirmed.data.bookingId]);

    // v1.1: gwB answers subscribes from its memory; the freed seat reaches it as a push.
    const freedPush = nextPush(watcher, 'seats:changed', (p) =>
      p.changes.some((c) => c.seatId === seats[0] && c.status === 'available'),
    );
    const cancelled = await u.client.bookingCancel({ bookingId: confirmed.data.bookingId });
    expect(cancelled).toEqual({
      ok: true,
      data: { bookingId: confirmed.data.bookingId, status: 'cancelled', refundCents: 10_000 },
    });
    const again = await u.client.bookingCancel({ bookingId: confirmed.data.bookingId });
    expect(again.ok === false && again.error.code).toBe('ALREADY_CANCELLED');
    expect((await freedPush).changes.find((c) => c.seatId === seats[0])).toEqual({
      seatId: seats[0],
      status: 'available',
      version: 3,
    });
    const after = await watcher.seatsSubscribe({ eventId: ev.id });
    expect(after.ok && after.data.seats.find((s) => s.id === seats[0])).toMatchObject({ status: 'available', version: 3 });
    await checkInvariants(databaseUrl);
  });

  it('best available picks adjacent seats in one row and enforces maxSeatsPerUser', async () => {
    const ev = await newEvent({ maxSeatsPerUser: 4, sections: [{ name: 'A', priceCents: 1000, rows: 3, seatsPerRow: 6 }] });
    const u = await admittedUser(gwA.url, ev.id);
    const r = await hold(u, ev.id, { section: 'A', quantity: 3 });
    expect(r.ok).toBe(true);
    const data = (r as { data: { seats: { row: number; number: number }[] } }).data;
    expect(new Set(data.seats.map((s) => s.row)).size).toBe(1);
    const numbers = data.seats.map((s) => s.number).sort((a, b) => a - b);
    expect(numbers[2]! - numbers[0]!).toBe(2);
    const over = await hold(u, ev.id, { quantity: 2 });
    expect(over.ok === false && over.error.code).toBe('HOLD_LIMIT_EXCEEDED');
    const fits = await hold(u, ev.id, { quantity: 1 });
    expect(fits.ok).toBe(true);
    await checkInvariants(databaseUrl);
  });

  it('acceptPartial holds what is free and waitlistRest waitlists the shortfall', async () => {
    const ev = await newEvent({ maxSeatsPerUser: 20, sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 10 }] });
    const seats = await seatIdsOf(ev.id);
    const first = await admittedUser(gwA.url, ev.id);
    expect((await hold(first, ev.id, { seatIds: seats.slice(0, 8) })).ok).toBe(true);
    const u = await admittedUser(gwB.url, ev.id);
    const r = await hold(u, ev.id, { quantity: 10, acceptPartial: true, waitlistRest: true });
    expect(r.ok).toBe(true);
    const data = (r as { data: { seats: unknown[]; waitlist?: { position: number; quantity: number } } }).data;
    expect(data.seats).toHaveLength(2);
    expect(data.waitlist).toEqual({ position: 1, quantity: 8 });
    const allOrNothing = await hold(first, ev.id, { quantity: 1 });
    expect(allOrNothing.ok === false && allOrNothing.error.code).toBe('SOLD_OUT');
    // Nothing free: waitlistRest puts the whole request on the waitlist, behind the first shortfall.
    const late = await admittedUser(gwA.url, ev.id);
    const soldOut = await hold(late, ev.id, { quantity: 3, acceptPartial: true, waitlistRest: true });
    expect(soldOut.ok === false && soldOut.error).toMatchObject({
      code: 'SOLD_OUT',
      details: { waitlist: { position: 2, quantity: 3 } },
    });
    // Named seats, partly taken: the free one is held, the other waits in line (for any seat).
    const pair = await newEvent({ sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }] });
    const two = await seatIdsOf(pair.id);
    expect((await hold(await admittedUser(gwA.url, pair.id), pair.id, { seatIds: [two[0]] })).ok).toBe(true);
    const named = await admittedUser(gwB.url, pair.id);
    const mixed = await hold(named, pair.id, { seatIds: two, acceptPartial: true, waitlistRest: true });
    expect(mixed.ok && mixed.data).toMatchObject({ seats: [{ id: two[1] }], waitlist: { position: 1, quantity: 1 } });
    const lines = await dbQuery<{ quantity: number; section_id: string | null }>(
      databaseUrl,
      'SELECT quantity, section_id FROM waitlist_entries WHERE event_id = $1 AND user_id = $2',
      [pair.id, named.userId],
    );
    expect(lines).toEqual([{ quantity: 1, section_id: null }]);
    await checkInvariants(databaseUrl);
  });

  it('replays the same reply for the same key through another gateway after a disconnect', async () => {
    const ev = await newEvent();
    const seats = await seatIdsOf(ev.id);
    const u = await admittedUser(gwA.url, ev.id);
    const payload = {
      eventId: ev.id,
      admissionToken: u.admissionToken,
      idempotencyKey: 'same-key',
      seatIds: [seats[3] as string],
    };
    const first = await u.client.seatsHold(payload);
    expect(first.ok).toBe(true);
    u.client.close();
    const other = await connectClient(gwB.url, u.accessToken);
    const second = await other.seatsHold(payload);
    expect(second).toEqual(first);
    const conflict = await other.seatsHold({ ...payload, seatIds: [seats[4] as string] });
    expect(conflict.ok === false && conflict.error.code).toBe('CONFLICT');
    if (first.ok) {
      const otherCommand = await other.holdConfirm({
        holdId: first.data.holdId,
        idempotencyKey: 'same-key',
        payment: { method: 'mock' },
      });
      expect(otherCommand.ok === false && otherCommand.error.code).toBe('CONFLICT');
    }
    if (!first.ok) return;
    const c1 = await other.holdConfirm({ holdId: first.data.holdId, idempotencyKey: 'confirm-key', payment: { method: 'mock' } });
    const c2 = await (await connectClient(gwA.url, u.accessToken)).holdConfirm({
      holdId: first.data.holdId,
      idempotencyKey: 'confirm-key',
      payment: { method: 'mock' },
    });
    expect(c1.ok).toBe(true);
    expect(c2).toEqual(c1);
    // Confirming the last hold ended the admission session; the hold's retry still replays.
    expect(await other.seatsHold(payload)).toEqual(first);
    const rows = await dbQuery(databaseUrl, 'SELECT count(*)::int AS n FROM holds WHERE user_id = $1', [u.userId]);
    expect(rows[0].n).toBe(1);
    await checkInvariants(databaseUrl);
  });

  it('a declined payment keeps the hold; release frees the seats; confirm after release fails', async () => {
    const ev = await newEvent();
    const seats = await seatIdsOf(ev.id);
    const u = await admittedUser(gwA.url, ev.id);
    const r = await hold(u, ev.id, { seatIds: [seats[5]] });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const holdId = (r.data as { holdId: string }).holdId;
    const declined = await u.client.holdConfirm({
      holdId,
      idempotencyKey: 'd1',
      payment: { method: 'mock', outcome: 'decline' },
    });
    expect(declined.ok === false && declined.error.code).toBe('PAYMENT_DECLINED');
    const status = await dbQuery(databaseUrl, 'SELECT status FROM holds WHERE id = $1', [holdId]);
    expect(status[0].status).toBe('active');
    const released = await u.client.holdRelease({ holdId });
    expect(released).toEqual({ ok: true, data: { holdId, released: 1 } });
    const late = await u.client.holdConfirm({ holdId, idempotencyKey: 'd2', payment: { method: 'mock' } });
    expect(late.ok === false && late.error.code).toBe('HOLD_NOT_FOUND');
    const twice = await u.client.holdRelease({ holdId });
    expect(twice.ok === false && twice.error.code).toBe('HOLD_NOT_FOUND');
    await checkInvariants(databaseUrl);
  });

  it('expires a hold: the owner hears hold:expired and confirm answers HOLD_EXPIRED', async () => {
    const ev = await newEvent({ holdTtlSeconds: 5 });
    const seats = await seatIdsOf(ev.id);
    const u = await admittedUser(gwB.url, ev.id);
    const watcher = await connectClient(gwA.url);
    expect((await watcher.seatsSubscribe({ eventId: ev.id })).ok).toBe(true);
    const r = await hold(u, ev.id, { seatIds: [seats[6]] });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const holdId = (r.data as { holdId: string }).holdId;
    // The worker's change reaches a subscriber on a gateway the worker knows nothing about.
    const freed = nextPush(
      watcher,
      'seats:changed',
      (p) => p.changes.some((c) => c.seatId === seats[6] && c.status === 'available'),
      20_000,
    );
    const expired = await nextPush(u.client, 'hold:expired', (p) => p.holdId === holdId, 20_000);
    expect((await freed).changes.find((c) => c.seatId === seats[6])?.version).toBe(2);
    expect(expired).toEqual({ holdId, eventId: ev.id });
    const late = await u.client.holdConfirm({ holdId, idempotencyKey: 'late', payment: { method: 'mock' } });
    expect(late.ok === false && late.error.code).toBe('HOLD_EXPIRED');
    await checkInvariants(databaseUrl);
  });

  it('waitlist:leave pushes a new place only to the entries behind the one that left', async () => {
    const ev = await newEvent({ sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 1 }] });
    const owner = await admittedUser(gwA.url, ev.id);
    expect((await hold(owner, ev.id, { seatIds: await seatIdsOf(ev.id) })).ok).toBe(true);
    const [first, middle, last] = await Promise.all([1, 2, 3].map(() => admittedUser(gwB.url, ev.id)));
    for (const u of [first, middle, last]) expect((await u!.client.waitlistJoin({ eventId: ev.id, quantity: 1 })).ok).toBe(true);
    const heard = [first, middle, last].map((u) => collectPushes(u!.client, 'waitlist:position'));
    const lastMoved = nextPush(last!.client, 'waitlist:position', (p) => p.eventId === ev.id && p.position === 2);
    expect((await middle!.client.send('waitlist:leave', { eventId: ev.id })).ok).toBe(true);
    await lastMoved;
    // The last entry now leaves from the end of the line: nobody is behind it, nobody moved.
    expect((await last!.client.send('waitlist:leave', { eventId: ev.id })).ok).toBe(true);
    // Pushes of one leave go out together; a push to the first entry would have come by now.
    await new Promise((r) => setTimeout(r, 500));
    expect(heard[0]!.items).toEqual([]);
    expect(heard[2]!.items).toEqual([{ eventId: ev.id, position: 2 }]);
    for (const h of heard) h.stop();
  });

  it('an organizer taking an entry off the waitlist tells the entries behind it their new place', async () => {
    const ev = await newEvent({ sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 1 }] });
    const owner = await admittedUser(gwA.url, ev.id);
    expect((await hold(owner, ev.id, { seatIds: await seatIdsOf(ev.id) })).ok).toBe(true);
    const [first, second] = await Promise.all([1, 2].map(() => admittedUser(gwB.url, ev.id)));
    for (const u of [first, second]) expect((await u!.client.waitlistJoin({ eventId: ev.id, quantity: 1 })).ok).toBe(true);
    const [head] = await dbQuery<{ id: string }>(
      databaseUrl,
      'SELECT id FROM waitlist_entries WHERE event_id = $1 ORDER BY seq LIMIT 1',
      [ev.id],
    );
    const moved = nextPush(second!.client, 'waitlist:position', (p) => p.eventId === ev.id && p.position === 1);
    const removed = await http(gwA.url, 'DELETE', `/api/admin/events/${ev.id}/waitlist/${head!.id}`, { token: adminToken });
    expect(removed.status).toBe(204);
    await moved;
  });

  it('offers freed seats to the head of the waitlist', async () => {
    const ev = await newEvent({ sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 2 }] });
    const seats = await seatIdsOf(ev.id);
    const owner = await admittedUser(gwA.url, ev.id);
    const r = await hold(owner, ev.id, { seatIds: seats });
    if (!r.ok) throw new Error(JSON.stringify(r));
    const waiter = await admittedUser(gwB.url, ev.id);
    const second = await admittedUser(gwB.url, ev.id);
    const joined = await waiter.client.waitlistJoin({ eventId: ev.id, quantity: 2 });
    expect(joined).toEqual({ ok: true, data: { eventId: ev.id, position: 1, quantity: 2 } });
    const joined2 = await second.client.waitlistJoin({ eventId: ev.id, quantity: 1 });
    expect(joined2.ok && joined2.data.position).toBe(2);
    const offer = nextPush(waiter.client, 'waitlist:offer', (p) => p.eventId === ev.id, 20_000);
    const moved = nextPush(second.client, 'waitlist:position', (p) => p.eventId === ev.id && p.position === 1, 20_000);
    expect((await owner.client.holdRelease({ holdId: (r.data as { holdId: string }).holdId })).ok).toBe(true);
    const o = await offer;
    expect(o.seats.map((s) => s.id).sort()).toEqual([...seats].sort());
    await moved;
    const confirmed = await waiter.client.holdConfirm({ holdId: o.holdId, idempotencyKey: 'w1', payment: { method: 'mock' } });
    expect(confirmed.ok).toBe(true);
    const entry = await dbQuery(databaseUrl, 'SELECT status FROM waitlist_entries WHERE user_id = $1', [waiter.userId]);
    expect(entry[0].status).toBe('fulfilled');
    await checkInvariants(databaseUrl);
  });
});
