import { describe, expect, it } from 'vitest';
import { isSameShape, layoutLockReason } from '../../core/domain/layout-lock-reason.js';

const now = new Date('2030-01-10T12:00:00Z');
const facts = (over: Partial<Parameters<typeof layoutLockReason>[0]> = {}) => ({
  cancelled: false,
  saleStartsAt: new Date('2030-01-11T00:00:00Z'),
  presaleStartsAt: null,
  hasActivity: false,
  ...over,
});

describe('layoutLockReason', () => {
  it('allows a layout change before the sale when nobody acted on the event', () => {
    expect(layoutLockReason(facts(), now)).toBeNull();
    expect(layoutLockReason(facts({ presaleStartsAt: new Date('2030-01-10T13:00:00Z') }), now)).toBeNull();
  });
  it('refuses from the first of presale and sale on, for cancelled events and after any activity', () => {
    expect(layoutLockReason(facts({ saleStartsAt: now }), now)).toMatch(/before the sale/);
    expect(layoutLockReason(facts({ presaleStartsAt: new Date('2030-01-10T11:59:59Z') }), now)).toMatch(/before the sale/);
    expect(layoutLockReason(facts({ cancelled: true }), now)).toMatch(/cancelled/);
    expect(layoutLockReason(facts({ hasActivity: true }), now)).toMatch(/held, booked/);
  });
});

describe('isSameShape', () => {
  it('compares sections, rows and seats per row in order, ignoring names and prices', () => {
    const a = [
      { rows: 2, seatsPerRow: 5 },
      { rows: 1, seatsPerRow: 4 },
    ];
    expect(isSameShape(a, [...a])).toBe(true);
    expect(isSameShape(a, [a[1]!, a[0]!])).toBe(false);
    expect(isSameShape(a, [a[0]!])).toBe(false);
    expect(isSameShape(a, [a[0]!, { rows: 1, seatsPerRow: 5 }])).toBe(false);
  });
});
