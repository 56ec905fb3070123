import { describe, expect, it } from 'vitest';
import { type ConfirmAsk, type ConfirmFacts, decideConfirm } from '../../core/domain/decide-confirm.js';

const now = new Date('2030-01-10T12:00:00Z');
const sale = { cancelledAt: null, saleStartsAt: new Date('2030-01-01T00:00:00Z'), startsAt: new Date('2030-02-01T00:00:00Z') };
const hold = { userId: 'u1', status: 'active', isLive: true, sale };
const ask: ConfirmAsk = { userId: 'u1', command: 'hold:confirm', requestHash: 'h1', paymentDeclined: false };
const facts = (over: Partial<ConfirmFacts> = {}): ConfirmFacts => ({
  hold,
  stored: undefined,
  takenInBatch: false,
  now,
  ...over,
});
const codeOf = (f: ConfirmFacts, a: ConfirmAsk = ask) => {
  const d = decideConfirm(f, a);
  return d.kind === 'refuse' ? d.error.code : d.kind;
};

describe('decideConfirm', () => {
  it("accepts the owner's live hold during the sale with an accepted payment", () => {
    expect(codeOf(facts())).toBe('accept');
  });

  it('answers HOLD_NOT_FOUND for no hold and for somebody else’s, whatever else is true', () => {
    expect(codeOf(facts({ hold: undefined }))).toBe('HOLD_NOT_FOUND');
    expect(codeOf(facts(), { ...ask, userId: 'u2' })).toBe('HOLD_NOT_FOUND');
    expect(codeOf(facts({ stored: { command: 'hold:confirm', requestHash: 'h1' } }), { ...ask, userId: 'u2' })).toBe(
      'HOLD_NOT_FOUND',
    );
  });

  it('a hold no longer active: the stored reply of this very request, CONFLICT for another, else why not', () => {
    const confirmed = { ...hold, status: 'confirmed' };
    expect(codeOf(facts({ hold: confirmed, stored: { command: 'hold:confirm', requestHash: 'h1' } }))).toBe('replay');
    expect(codeOf(facts({ hold: confirmed, stored: { command: 'hold:confirm', requestHash: 'other' } }))).toBe('CONFLICT');
    expect(codeOf(facts({ hold: confirmed, stored: { command: 'seats:hold', requestHash: 'h1' } }))).toBe('CONFLICT');
    expect(codeOf(facts({ hold: confirmed }))).toBe('CONFLICT');
    expect(codeOf(facts({ takenInBatch: true }))).toBe('CONFLICT');
    expect(codeOf(facts({ takenInBatch: true, stored: { command: 'hold:confirm', requestHash: 'h1' } }))).toBe('replay');
    expect(codeOf(facts({ hold: { ...hold, status: 'expired' } }))).toBe('HOLD_EXPIRED');
    const released = decideConfirm(facts({ hold: { ...hold, status: 'released' } }), ask);
    expect(released.kind === 'refuse' && [released.error.code, released.error.message]).toEqual([
      'HOLD_NOT_FOUND',
      'this hold was released',
    ]);
  });

  it('an active hold past its expiry, outside the sale, or a declined payment is refused in that order', () => {
    const closed = { ...sale, cancelledAt: new Date('2030-01-09T00:00:00Z') };
    expect(codeOf(facts({ hold: { ...hold, isLive: false, sale: closed } }), { ...ask, paymentDeclined: true })).toBe(
      'HOLD_EXPIRED',
    );
    expect(codeOf(facts({ hold: { ...hold, sale: closed } }), { ...ask, paymentDeclined: true })).toBe('SALE_NOT_OPEN');
    expect(codeOf(facts({ now: sale.startsAt }))).toBe('SALE_NOT_OPEN');
    expect(codeOf(facts(), { ...ask, paymentDeclined: true })).toBe('PAYMENT_DECLINED');
  });
});
