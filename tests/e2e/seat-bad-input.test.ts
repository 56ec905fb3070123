import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import { type AdmittedUser, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { checkInvariants } from '../support/check-invariants.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let databaseUrl: string;
let eventId: string;
let otherEventId: string;
let seats: string[];
let otherSeats: string[];
let alice: AdmittedUser;
let bob: AdmittedUser;
let aliceHold: string;
let aliceBooking: string;

/** Everything a command could change, to prove a refused command changed nothing. */
async function fingerprint(): Promise<unknown> {
  return dbQuery(
    databaseUrl,
    `SELECT (SELECT json_agg(json_build_object('id', id, 's', status, 'v', version) ORDER BY id) FROM seats) AS seats,
            (SELECT count(*) FROM holds) AS holds, (SELECT count(*) FROM bookings WHERE status = 'confirmed') AS bookings,
            (SELECT count(*) FROM waitlist_entries) AS waitlist, (SELECT count(*) FROM idempotency_records) AS keys`,
  );
}

beforeAll(async () => {
  const t = await createTestEnv();
  databaseUrl = t.databaseUrl;
  gw = await startGatewayProcess(t.env);
  const admin = await loginAdmin(gw.url);
  const layout = { admission: OPEN_ADMISSION, sections: [{ name: 'A', priceCents: 1000, rows: 2, seatsPerRow: 5 }] };
  eventId = (await createTestEvent(gw.url, admin.accessToken, layout)).id;
  otherEventId = (await createTestEvent(gw.url, admin.accessToken, layout)).id;
  const ids = async (id: string) =>
    (await dbQuery<{ id: string }>(databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 ORDER BY row, number', [id])).map(
      (r) => r.id,
    );
  seats = await ids(eventId);
  otherSeats = await ids(otherEventId);
  alice = await admittedUser(gw.url, eventId);
  bob = await admittedUser(gw.url, eventId);
  const held = await alice.client.seatsHold({
    eventId,
    admissionToken: alice.admissionToken,
    idempotencyKey: randomUUID(),
    seatIds: [seats[0] as string],
  });
  if (!held.ok) throw new Error(JSON.stringify(held));
  const toBook = await alice.client.seatsHold({
    eventId,
    admissionToken: alice.admissionToken,
    idempotencyKey: randomUUID(),
    seatIds: [seats[1] as string],
  });
  if (!toBook.ok) throw new Error(JSON.stringify(toBook));
  const booked = await alice.client.holdConfirm({
    holdId: toBook.data.holdId,
    idempotencyKey: randomUUID(),
    payment: { method: 'mock' },
  });
  if (!booked.ok) throw new Error(JSON.stringify(booked));
  aliceHold = held.data.holdId;
  aliceBooking = booked.data.bookingId;
});

const hold = (extra: Record<string, unknown>) => ({
  eventId,
  admissionToken: bob.admissionToken,
  idempotencyKey: randomUUID(),
  ...extra,
});

type Case = [name: string, command: string, payload: () => unknown, code: string];

const cases: Case[] = [
  ['subscribe: not a uuid', 'seats:subscribe', () => ({ eventId: 'nope' }), 'VALIDATION_FAILED'],
  ['subscribe: unknown event', 'seats:subscribe', () => ({ eventId: randomUUID() }), 'NOT_FOUND'],
  ['subscribe: extra field', 'seats:subscribe', () => ({ eventId, x: 1 }), 'VALIDATION_FAILED'],
  ['unsubscribe: wrong type', 'seats:unsubscribe', () => ({ eventId: 42 }), 'VALIDATION_FAILED'],
  ['hold: no payload', 'seats:hold', () => undefined, 'VALIDATION_FAILED'],
  ['hold: an array payload', 'seats:hold', () => [1, 2], 'VALIDATION_FAILED'],
  ['hold: unknown seat ids', 'seats:hold', () => hold({ seatIds: [randomUUID()] }), 'VALIDATION_FAILED'],
  ['hold: seats of another event', 'seats:hold', () => hold({ seatIds: [otherSeats[0]] }), 'VALIDATION_FAILED'],
  ['hold: duplicate seat ids', 'seats:hold', () => hold({ seatIds: [seats[5], seats[5]] }), 'VALIDATION_FAILED'],
  ['hold: quantity 0', 'seats:hold', () => hold({ quantity: 0 }), 'VALIDATION_FAILED'],
  ['hold: quantity 10,000', 'seats:hold', () => hold({ quantity: 10_000 }), 'VALIDATION_FAILED'],
  ['hold: negative quantity', 'seats:hold', () => hold({ quantity: -3 }), 'VALIDATION_FAILED'],
  ['hold: fractional quantity', 'seats:hold', () => hold({ quantity: 1.5 }), 'VALIDATION_FAILED'],
  ['hold: quantity as a string', 'seats:hold', () => hold({ quantity: '2' }), 'VALIDATION_FAILED'],
  ['hold: both seatIds and quantity', 'seats:hold', () => hold({ seatIds: [seats[5]], quantity: 1 }), 'VALIDATION_FAILED'],
  ['hold: neither seatIds nor quantity', 'seats:hold', () => hold({}), 'VALIDATION_FAILED'],
  ['hold: empty seatIds', 'seats:hold', () => hold({ seatIds: [] }), 'VALIDATION_FAILED'],
  ['hold: unknown section', 'seats:hold', () => hold({ section: 'Nope', quantity: 1 }), 'VALIDATION_FAILED'],
  [
    'hold: waitlistRest without acceptPartial',
    'seats:hold',
    () => hold({ quantity: 1, waitlistRest: true }),
    'VALIDATION_FAILED',
  ],
  ['hold: more than the per-user limit', 'seats:hold', () => hold({ quantity: 7 }), 'HOLD_LIMIT_EXCEEDED'],
  ['hold: a held seat', 'seats:hold', () => hold({ seatIds: [seats[0]] }), 'SEAT_UNAVAILABLE'],
  ['hold: a sold seat', 'seats:hold', () => hold({ seatIds: [seats[1]] }), 'SEAT_UNAVAILABLE'],
  ['hold: forged admission token', 'seats:hold', () => hold({ admissionToken: 'x.y.z', quantity: 1 }), 'NOT_ADMITTED'],
  [
    'hold: admission for another user',
    'seats:hold',
    () => hold({ admissionToken: alice.admissionToken, quantity: 1 }),
    'NOT_ADMITTED',
  ],
  [
    'hold: admission for another event',
    'seats:hold',
    () => ({ ...hold({ quantity: 1 }), eventId: otherEventId, seatIds: undefined }),
    'NOT_ADMITTED',
  ],
  ['hold: an empty idempotency key', 'seats:hold', () => hold({ quantity: 1, idempotencyKey: '' }), 'VALIDATION_FAILED'],
  [
    'hold: a huge idempotency key',
    'seats:hold',
    () => hold({ quantity: 1, idempotencyKey: 'k'.repeat(200) }),
    'VALIDATION_FAILED',
  ],
  ['release: not a uuid', 'hold:release', () => ({ holdId: "1' OR '1'='1" }), 'VALIDATION_FAILED'],
  ['release: unknown hold', 'hold:release', () => ({ holdId: randomUUID() }), 'HOLD_NOT_FOUND'],
  ['release: someone else’s hold', 'hold:release', () => ({ holdId: aliceHold }), 'HOLD_NOT_FOUND'],
  [
    'confirm: someone else’s hold',
    'hold:confirm',
    () => ({ holdId: aliceHold, idempotencyKey: 'x', payment: { method: 'mock' } }),
    'HOLD_NOT_FOUND',
  ],
  [
    'confirm: a real payment method',
    'hold:confirm',
    () => ({ holdId: aliceHold, idempotencyKey: 'x', payment: { method: 'card', number: '4242' } }),
    'VALIDATION_FAILED',
  ],
  ['confirm: missing payment', 'hold:confirm', () => ({ holdId: aliceHold, idempotencyKey: 'x' }), 'VALIDATION_FAILED'],
  ['list: unexpected fields', 'booking:list', () => ({ userId: alice.userId }), 'VALIDATION_FAILED'],
  ['cancel: someone else’s booking', 'booking:cancel', () => ({ bookingId: aliceBooking }), 'BOOKING_NOT_FOUND'],
  ['cancel: unknown booking', 'booking:cancel', () => ({ bookingId: randomUUID() }), 'BOOKING_NOT_FOUND'],
  ['cancel: a number', 'booking:cancel', () => ({ bookingId: 7 }), 'VALIDATION_FAILED'],
  ['waitlist: quantity 0', 'waitlist:join', () => ({ eventId, quantity: 0 }), 'VALIDATION_FAILED'],
  ['waitlist: quantity 10,000', 'waitlist:join', () => ({ eventId, quantity: 10_000 }), 'VALIDATION_FAILED'],
  ['waitlist: negative quantity', 'waitlist:join', () => ({ eventId, quantity: -1 }), 'VALIDATION_FAILED'],
  ['waitlist: above the per-user limit', 'waitlist:join', () => ({ eventId, quantity: 50 }), 'HOLD_LIMIT_EXCEEDED'],
  ['waitlist: unknown section', 'waitlist:join', () => ({ eventId, quantity: 1, section: 'Nope' }), 'VALIDATION_FAILED'],
  ['waitlist: unknown event', 'waitlist:join', () => ({ eventId: randomUUID(), quantity: 1 }), 'NOT_FOUND'],
  ['waitlist leave: wrong type', 'waitlist:leave', () => ({ eventId: null }), 'VALIDATION_FAILED'],
];

describe('bad input to the seat commands changes nothing and gets a clear code', () => {
  it.each(cases)('%s', async (_name, command, payload, code) => {
    const before = await fingerprint();
    const ack = await bob.client.send(command, payload());
    expect(ack).toMatchObject({ ok: false, error: { code } });
    expect(await fingerprint()).toEqual(before);
  });

  it('commands that need a user answer UNAUTHENTICATED on an anonymous socket', async () => {
    const anon: EventlyClient = await connectClient(gw.url);
    for (const [command, payload] of [
      ['seats:hold', hold({ quantity: 1 })],
      ['hold:release', { holdId: aliceHold }],
      ['hold:confirm', { holdId: aliceHold, idempotencyKey: 'a', payment: { method: 'mock' } }],
      ['booking:list', {}],
      ['booking:cancel', { bookingId: aliceBooking }],
      ['waitlist:join', { eventId, quantity: 1 }],
      ['waitlist:leave', { eventId }],
    ] as const) {
      expect(await anon.send(command, payload)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    // Anonymous sockets may watch the seat map.
    expect((await anon.seatsSubscribe({ eventId })).ok).toBe(true);
  });

  it('a hold outside the sale window answers SALE_NOT_OPEN and changes nothing', async () => {
    const admin = await loginAdmin(gw.url);
    const ev = await createTestEvent(gw.url, admin.accessToken, {
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 3 }],
    });
    const carol = await admittedUser(gw.url, ev.id);
    // The admin moves the sale start into the future after Carol was admitted.
    const later = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const patched = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, {
      token: admin.accessToken,
      body: { saleStartsAt: later },
    });
    expect(patched.status).toBe(200);
    const before = await fingerprint();
    const ack = await carol.client.seatsHold({
      eventId: ev.id,
      admissionToken: carol.admissionToken,
      idempotencyKey: randomUUID(),
      quantity: 1,
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'SALE_NOT_OPEN' } });
    expect(await fingerprint()).toEqual(before);
  });

  it('the gateway is still healthy and the books still balance', async () => {
    expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    await checkInvariants(databaseUrl);
  });
});
