import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CandidateSeat, decideHold, type HoldFacts, type HoldRequest } from '../../core/domain/decide-hold.js';
import { decideHoldBatch } from '../../core/domain/decide-hold-batch.js';
import { orderSeats, totalCents } from '../../core/domain/order-seats.js';
import { seatAllowance } from '../../core/domain/seat-allowance.js';

const now = new Date('2030-01-10T12:00:00Z');
const sale = { cancelledAt: null, saleStartsAt: new Date('2030-01-01T00:00:00Z'), startsAt: new Date('2030-02-01T00:00:00Z') };

function seat(id: string, over: Partial<CandidateSeat> = {}): CandidateSeat {
  return {
    id,
    section: 'A',
    sectionRank: 0,
    sectionId: 'sec-a',
    row: 1,
    number: 1,
    priceCents: 1000,
    status: 'available',
    version: 0,
    ...over,
  };
}

/** One row of `n` seats in section A: a1..an. */
function row(n: number, over: (i: number) => Partial<CandidateSeat> = () => ({})): Map<string, CandidateSeat> {
  const m = new Map<string, CandidateSeat>();
  for (let i = 1; i <= n; i++) m.set(`a${i}`, seat(`a${i}`, { number: i, ...over(i) }));
  return m;
}

function facts(over: Partial<HoldFacts> = {}): HoldFacts {
  return { sale, now, maxSeatsPerUser: 6, heldOrOwned: 0, seats: row(10), taken: new Set(), ...over };
}

const named = (seatIds: string[], acceptPartial = false): HoldRequest => ({ seatIds, acceptPartial });
const best = (quantity: number, acceptPartial = false, section: string | null = null): HoldRequest => ({
  quantity,
  section,
  acceptPartial,
});

describe('seatAllowance', () => {
  it('is the limit minus what the user holds and owns, never negative', () => {
    expect(seatAllowance(6, 0)).toBe(6);
    expect(seatAllowance(6, 4)).toBe(2);
    expect(seatAllowance(6, 9)).toBe(0);
  });
});

describe('orderSeats', () => {
  it('orders by section position, not section name, then row and number', () => {
    const seats = [
      seat('z', { section: 'Balcony', sectionRank: 1, row: 1, number: 1 }),
      seat('y', { section: 'Stalls', sectionRank: 0, row: 2, number: 1 }),
      seat('x', { section: 'Stalls', sectionRank: 0, row: 1, number: 7 }),
    ];
    expect(orderSeats(seats).map((s) => s.id)).toEqual(['x', 'y', 'z']);
    expect(totalCents(seats)).toBe(3000);
  });
});

describe('decideHold', () => {
  it('refuses outside the sale window, before anything else', () => {
    const d = decideHold(facts({ sale: { ...sale, saleStartsAt: new Date(now.getTime() + 1) } }), named(['a1']));
    expect(d).toMatchObject({ kind: 'refuse', error: { code: 'SALE_NOT_OPEN' } });
    const cancelled = decideHold(facts({ sale: { ...sale, cancelledAt: now } }), best(1));
    expect(cancelled).toMatchObject({ kind: 'refuse', error: { code: 'SALE_NOT_OPEN' } });
  });

  it('checks the allowance against what was asked for', () => {
    const d = decideHold(facts({ heldOrOwned: 5 }), named(['a1', 'a2'], true));
    expect(d).toMatchObject({ kind: 'refuse', error: { code: 'HOLD_LIMIT_EXCEEDED', details: { current: 5, requested: 2 } } });
    expect(decideHold(facts({ heldOrOwned: 5 }), named(['a1']))).toMatchObject({ kind: 'take' });
  });

  it('takes named seats all or nothing, or what is free with acceptPartial', () => {
    const seats = row(4, (i) => (i === 2 ? { status: 'held' } : {}));
    expect(decideHold(facts({ seats }), named(['a1', 'a2']))).toMatchObject({
      kind: 'refuse',
      error: { code: 'SEAT_UNAVAILABLE', details: { seatIds: ['a2'] } },
    });
    const partial = decideHold(facts({ seats }), named(['a2', 'a1'], true));
    expect(partial).toMatchObject({ kind: 'take', shortfall: 1 });
    expect(partial.kind === 'take' && partial.seats.map((s) => s.id)).toEqual(['a1']);
    expect(decideHold(facts({ seats }), named(['a2'], true))).toMatchObject({
      kind: 'refuse',
      error: { code: 'SEAT_UNAVAILABLE' },
    });
  });

  it('names unknown seat ids', () => {
    expect(decideHold(facts(), named(['a1', 'nope']))).toMatchObject({
      kind: 'refuse',
      error: { code: 'VALIDATION_FAILED', details: { seatIds: ['nope'] } },
    });
  });

  it('treats seats taken earlier in the batch as not free', () => {
    expect(decideHold(facts({ taken: new Set(['a1']) }), named(['a1']))).toMatchObject({ kind: 'refuse' });
  });

  it('best available picks adjacent seats in the asked section, or reports a shortfall', () => {
    const seats = new Map([...row(5), ['b1', seat('b1', { section: 'B', sectionRank: 1 })]]);
    const d = decideHold(facts({ seats }), best(3));
    expect(d.kind === 'take' && d.seats.map((s) => s.id)).toEqual(['a2', 'a3', 'a4']);
    expect(decideHold(facts({ seats }), best(2, false, 'B'))).toEqual({ kind: 'short', free: 1 });
    const partial = decideHold(facts({ seats }), best(2, true, 'B'));
    expect(partial).toMatchObject({ kind: 'take', shortfall: 1 });
  });
});

describe('decideHold for whoever asks', () => {
  const presale = new Date('2030-01-05T00:00:00Z');
  const publicSale = new Date('2030-01-12T00:00:00Z');
  const inPresale = facts({ sale: { ...sale, saleStartsAt: publicSale }, presaleStartsAt: presale });
  const offer = (quantity: number): HoldRequest => ({ quantity, section: null, acceptPartial: true, waitlistOffer: true });

  it('an admitted buyer may hold from the presale start; a waitlist offer waits for the public sale', () => {
    expect(decideHold(inPresale, best(2)).kind).toBe('take');
    const refused = decideHold(inPresale, offer(2));
    expect(refused.kind === 'refuse' && refused.error.code).toBe('SALE_NOT_OPEN');
    expect(decideHold({ ...inPresale, now: publicSale }, offer(2)).kind).toBe('take');
    // Before the presale nobody holds.
    const early = decideHold({ ...inPresale, now: new Date('2030-01-04T00:00:00Z') }, best(1));
    expect(early.kind === 'refuse' && early.error.code).toBe('SALE_NOT_OPEN');
  });

  it('a waitlist offer is trimmed to the allowance, refused only when none is left; a buyer is refused past it', () => {
    const four = facts({ heldOrOwned: 4 });
    const trimmed = decideHold(four, offer(5));
    expect(trimmed.kind === 'take' && trimmed.seats).toHaveLength(2);
    expect(trimmed.kind === 'take' && trimmed.shortfall).toBe(0);
    const buyer = decideHold(four, best(5, true));
    expect(buyer.kind === 'refuse' && buyer.error.code).toBe('HOLD_LIMIT_EXCEEDED');
    const none = decideHold(facts({ heldOrOwned: 6 }), offer(1));
    expect(none.kind === 'refuse' && none.error.code).toBe('HOLD_LIMIT_EXCEEDED');
  });

  it('a waitlist offer takes what is free, fewer than asked when fewer are', () => {
    const three = facts({ seats: row(3), maxSeatsPerUser: 10 });
    const partial = decideHold(three, offer(5));
    expect(partial.kind === 'take' && partial.seats).toHaveLength(3);
    expect(decideHold(facts({ seats: row(2, () => ({ status: 'held' })) }), offer(1)).kind).toBe('short');
  });
});

describe('decideHoldBatch', () => {
  it('serves a batch first come first served; a refusal never changes the others', () => {
    const decisions = decideHoldBatch({ sale, now, maxSeatsPerUser: 2, heldOrOwned: new Map([['u3', 2]]), seats: row(3) }, [
      { userId: 'u1', request: named(['a1']) },
      { userId: 'u2', request: named(['a1']) },
      { userId: 'u1', request: best(2) },
      { userId: 'u3', request: best(1) },
      { userId: 'u2', request: best(1) },
    ]);
    expect(decisions.map((d) => d.kind)).toEqual(['take', 'refuse', 'refuse', 'refuse', 'take']);
    expect(decisions[2]).toMatchObject({ error: { code: 'HOLD_LIMIT_EXCEEDED' } });
    expect(decisions[3]).toMatchObject({ error: { code: 'HOLD_LIMIT_EXCEEDED' } });
  });
});

/** Property: whatever the seats, users and requests, a batch never takes a seat that is not free,
 * never one seat twice, and never lets a user past maxSeatsPerUser. */
describe('decideHoldBatch properties', () => {
  const seatArb = fc.record({
    status: fc.constantFrom<CandidateSeat['status']>('available', 'available', 'held', 'sold'),
    sectionRank: fc.integer({ min: 0, max: 2 }),
    row: fc.integer({ min: 1, max: 4 }),
    number: fc.integer({ min: 1, max: 8 }),
  });
  const requestArb = (ids: string[]) =>
    fc.oneof(
      fc.record({
        seatIds: fc.uniqueArray(fc.constantFrom(...ids, 'unknown'), { minLength: 1, maxLength: 5 }),
        acceptPartial: fc.boolean(),
      }),
      fc.record({
        quantity: fc.integer({ min: 1, max: 8 }),
        section: fc.constantFrom(null, 'S0', 'S1', 'S9'),
        acceptPartial: fc.boolean(),
      }),
    );

  it('holds', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(seatArb, { minLength: 1, maxLength: 40, selector: (s) => `${s.sectionRank}:${s.row}:${s.number}` }),
        fc.integer({ min: 1, max: 6 }),
        fc.dictionary(fc.constantFrom('u1', 'u2', 'u3'), fc.integer({ min: 0, max: 8 })),
        fc.boolean(),
        (raw, maxSeatsPerUser, counts, open) => {
          const seats = new Map<string, CandidateSeat>();
          raw.forEach((s, i) => {
            const id = `s${i}`;
            seats.set(id, seat(id, { ...s, section: `S${s.sectionRank}`, sectionId: `sec${s.sectionRank}` }));
          });
          const ids = [...seats.keys()];
          const heldOrOwned = new Map(Object.entries(counts));
          return fc.assert(
            fc.property(
              fc.array(fc.record({ userId: fc.constantFrom('u1', 'u2', 'u3'), request: requestArb(ids) }), { maxLength: 12 }),
              (items) => {
                const decisions = decideHoldBatch(
                  { sale: open ? sale : { ...sale, cancelledAt: now }, now, maxSeatsPerUser, heldOrOwned, seats },
                  items,
                );
                const taken = new Set<string>();
                const perUser = new Map(heldOrOwned);
                decisions.forEach((d, i) => {
                  const item = items[i] as (typeof items)[number];
                  if (d.kind !== 'take') return;
                  expect(open).toBe(true);
                  expect(d.seats.length).toBeGreaterThan(0);
                  for (const s of d.seats) {
                    expect(seats.get(s.id)?.status).toBe('available');
                    expect(taken.has(s.id)).toBe(false);
                    taken.add(s.id);
                    if ('seatIds' in item.request) expect(item.request.seatIds).toContain(s.id);
                    else if (item.request.section !== null) expect(s.section).toBe(item.request.section);
                  }
                  const asked = 'seatIds' in item.request ? item.request.seatIds.length : item.request.quantity;
                  expect(d.seats.length + d.shortfall).toBe(asked);
                  if (!item.request.acceptPartial) expect(d.shortfall).toBe(0);
                  const after = (perUser.get(item.userId) ?? 0) + d.seats.length;
                  expect(after).toBeLessThanOrEqual(maxSeatsPerUser);
                  perUser.set(item.userId, after);
                });
              },
            ),
            { numRuns: 20 },
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});
