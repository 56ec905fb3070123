import { describe, expect, it } from 'vitest';
import { eventStatus, isSaleOpen, isSaleOpenMs } from '../../core/domain/event-status.js';

const now = new Date('2030-01-10T12:00:00Z');
const base = {
  cancelledAt: null,
  startsAt: new Date('2030-02-01T20:00:00Z'),
  saleStartsAt: new Date('2030-01-01T10:00:00Z'),
  available: 5,
};

describe('event status', () => {
  it.each([
    ['on_sale', base],
    ['sold_out', { ...base, available: 0 }],
    ['scheduled', { ...base, saleStartsAt: new Date('2030-01-20T00:00:00Z') }],
    ['ended', { ...base, startsAt: new Date('2030-01-10T11:59:59Z'), saleStartsAt: new Date('2029-12-01T00:00:00Z') }],
    ['cancelled', { ...base, cancelledAt: new Date('2030-01-05T00:00:00Z') }],
  ] as const)('is %s', (status, e) => {
    expect(eventStatus(e, now)).toBe(status);
  });

  it('opens the sale exactly at saleStartsAt and closes it at the start', () => {
    expect(isSaleOpen({ ...base, saleStartsAt: now }, now)).toBe(true);
    expect(isSaleOpen({ ...base, saleStartsAt: new Date(now.getTime() + 1) }, now)).toBe(false);
    expect(isSaleOpen({ ...base, startsAt: now }, now)).toBe(false);
    expect(isSaleOpen({ ...base, cancelledAt: now }, now)).toBe(false);
  });

  it('the waiting room asks the same rule on epoch milliseconds, with the same edges', () => {
    const w = { cancelled: false, saleStartsAtMs: now.getTime(), endsAtMs: now.getTime() + 1000 };
    for (const [at, open] of [
      [now.getTime() - 1, false],
      [now.getTime(), true],
      [now.getTime() + 999, true],
      [now.getTime() + 1000, false],
    ] as const) {
      expect(isSaleOpenMs(w, at)).toBe(open);
      const asDates = { cancelledAt: null, saleStartsAt: new Date(w.saleStartsAtMs), startsAt: new Date(w.endsAtMs) };
      expect(isSaleOpen(asDates, new Date(at))).toBe(open);
    }
    expect(isSaleOpenMs({ ...w, cancelled: true }, now.getTime())).toBe(false);
  });
});
