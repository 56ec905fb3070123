import { describe, expect, it } from 'vitest';
import { decideWaitlistJoin, type WaitlistJoinAsk, type WaitlistJoinFacts } from '../../core/domain/decide-waitlist-join.js';

const nowMs = Date.parse('2030-01-10T12:00:00Z');
const facts = (over: Partial<WaitlistJoinFacts> = {}): WaitlistJoinFacts => ({
  cancelled: false,
  saleStartsAtMs: Date.parse('2030-01-01T00:00:00Z'),
  startsAtMs: Date.parse('2030-02-01T00:00:00Z'),
  maxSeatsPerUser: 4,
  anyAvailable: false,
  sections: new Map([
    ['Stalls', { available: false }],
    ['Balcony', { available: true }],
  ]),
  ...over,
});
const ask = (over: Partial<WaitlistJoinAsk> = {}): WaitlistJoinAsk => ({ quantity: 2, section: null, nowMs, ...over });
const codeOf = (f: WaitlistJoinFacts, a: WaitlistJoinAsk) => decideWaitlistJoin(f, a)?.code ?? 'join';

describe('decideWaitlistJoin', () => {
  it('lets a user join a sold-out event, or a sold-out section while others still sell', () => {
    expect(codeOf(facts(), ask())).toBe('join');
    expect(codeOf(facts({ anyAvailable: true }), ask({ section: 'Stalls' }))).toBe('join');
    expect(codeOf(facts(), ask({ quantity: 4 }))).toBe('join');
  });

  it('refuses a cancelled or started event as SALE_NOT_OPEN before anything else', () => {
    expect(codeOf(facts({ cancelled: true, anyAvailable: true }), ask({ quantity: 9, section: 'Nowhere' }))).toBe(
      'SALE_NOT_OPEN',
    );
    expect(codeOf(facts({ startsAtMs: nowMs }), ask())).toBe('SALE_NOT_OPEN');
  });

  it('refuses a section the event does not have, then more seats than one user may take', () => {
    expect(codeOf(facts(), ask({ section: 'Nowhere', quantity: 9 }))).toBe('VALIDATION_FAILED');
    const tooMany = decideWaitlistJoin(facts({ anyAvailable: true }), ask({ quantity: 5 }));
    expect(tooMany?.code).toBe('HOLD_LIMIT_EXCEEDED');
    expect(tooMany?.details).toEqual({ maxSeatsPerUser: 4 });
  });

  it('sends people to the waiting room while seats are on sale or before the sale opens', () => {
    expect(codeOf(facts({ anyAvailable: true }), ask())).toBe('NOT_ADMITTED');
    expect(codeOf(facts(), ask({ section: 'Balcony' }))).toBe('NOT_ADMITTED');
    const early = decideWaitlistJoin(facts({ saleStartsAtMs: nowMs + 1 }), ask());
    expect(early?.code).toBe('NOT_ADMITTED');
    expect(early?.details).toEqual({ reason: 'seats_available' });
  });
});
