import { describe, expect, it } from 'vitest';
import { AnalyticsSnapshot } from '../../core/contract/commands.js';
import { averagePerMinute, cancellationRate, conversionRate, slidingRatePerMinute } from '../../core/domain/analytics-rates.js';
import { auditDelta, foldIntoMinutes, ZERO_COUNTS } from '../../core/domain/audit-delta.js';
import {
  buildAnalyticsSnapshots,
  type EventFigures,
  emptyAnalyticsSnapshot,
} from '../../core/domain/build-analytics-snapshots.js';
import { encodeConnectionEntry, liveConnections } from '../../core/domain/instance-connections.js';
import { summarizeAnalyticsRange } from '../../core/domain/summarize-analytics-range.js';
import { topEvents } from '../../core/domain/top-events.js';

const E1 = '00000000-0000-4000-8000-000000000001';
const E2 = '00000000-0000-4000-8000-000000000002';
const E3 = '00000000-0000-4000-8000-000000000003';

describe('rates', () => {
  it('counts the whole current minute and the part of the previous one still in the window', () => {
    expect(slidingRatePerMinute(60, 10, 0)).toBe(70);
    expect(slidingRatePerMinute(60, 10, 15_000)).toBe(55);
    expect(slidingRatePerMinute(60, 10, 60_000)).toBe(10);
    // Clock skew between worker and database never makes a rate negative or inflated.
    expect(slidingRatePerMinute(60, 10, -5)).toBe(70);
    expect(slidingRatePerMinute(60, 10, 90_000)).toBe(10);
  });

  it('divides safely and stays within [0, 1]', () => {
    expect(conversionRate(0, 0)).toBe(0);
    expect(conversionRate(1, 3)).toBe(0.3333);
    expect(conversionRate(5, 4)).toBe(1);
    expect(cancellationRate(0, 0)).toBe(0);
    expect(cancellationRate(1, 4)).toBe(0.25);
    expect(averagePerMinute(30, 0)).toBe(0);
    expect(averagePerMinute(30, 10 * 60_000)).toBe(3);
  });
});

describe('audit entries into roll-ups', () => {
  it('maps every counted action and skips the rest', () => {
    expect(auditDelta('hold.created', { seats: ['a', 'b', 'c'], totalCents: 300 })).toMatchObject({ holds: 1, heldSeats: 3 });
    expect(auditDelta('hold.released', { seats: 3 })).toMatchObject({ releases: 1, holds: 0 });
    expect(auditDelta('hold.expired', { seats: 3 })).toMatchObject({ expiries: 1 });
    expect(auditDelta('booking.confirmed', { totalCents: 9900 })).toMatchObject({ confirms: 1, revenueCents: 9900 });
    expect(auditDelta('booking.cancelled', { refundCents: 9900 })).toMatchObject({ cancellations: 1, refundCents: 9900 });
    expect(auditDelta('event.cancelled', { refundedBookings: 4, refundCents: 400 })).toMatchObject({
      cancellations: 4,
      refundCents: 400,
    });
    expect(auditDelta('user.registered', {})).toBeNull();
    // Hostile or missing data counts as zero, never NaN.
    expect(auditDelta('booking.confirmed', { totalCents: 'lots' })).toMatchObject({ confirms: 1, revenueCents: 0 });
  });

  it('folds entries into one row per event and minute', () => {
    const t = Date.parse('2030-01-01T10:00:00Z');
    const rows = foldIntoMinutes([
      { eventId: E1, atMs: t + 1000, action: 'hold.created', data: { seats: ['a'] } },
      { eventId: E1, atMs: t + 59_999, action: 'booking.confirmed', data: { totalCents: 100 } },
      { eventId: E1, atMs: t + 60_000, action: 'hold.created', data: { seats: ['b', 'c'] } },
      { eventId: E2, atMs: t + 2000, action: 'hold.created', data: { seats: ['d'] } },
      { eventId: E2, atMs: t + 3000, action: 'waitlist.joined', data: {} },
    ]);
    expect(rows).toHaveLength(3);
    expect(rows.find((r) => r.eventId === E1 && r.minuteMs === t)).toMatchObject({
      holds: 1,
      heldSeats: 1,
      confirms: 1,
      revenueCents: 100,
    });
    expect(rows.find((r) => r.eventId === E1 && r.minuteMs === t + 60_000)).toMatchObject({ holds: 1, heldSeats: 2 });
    expect(rows.find((r) => r.eventId === E2)).toMatchObject({ holds: 1, confirms: 0 });
  });
});

describe('top events', () => {
  it('orders by revenue, then seats, then id, and leaves out events without sales', () => {
    const list = topEvents(
      [
        { eventId: E3, name: 'c', sold: 2, revenueCents: 100 },
        { eventId: E1, name: 'a', sold: 1, revenueCents: 500 },
        { eventId: E2, name: 'b', sold: 3, revenueCents: 100 },
        { eventId: '00000000-0000-4000-8000-000000000004', name: 'd', sold: 0, revenueCents: 0 },
      ],
      3,
    );
    expect(list.map((e) => e.name)).toEqual(['a', 'b', 'c']);
    expect(topEvents(list, 1)).toHaveLength(1);
  });
});

describe('instance connections', () => {
  it('sums fresh heartbeats and reports stale or unreadable ones', () => {
    const now = 1_000_000;
    const live = liveConnections(
      { g1: encodeConnectionEntry(10, now - 500), g2: encodeConnectionEntry(5, now - 5000), g3: 'junk', g4: '7:' + now },
      now,
      3000,
    );
    expect(live.total).toBe(17);
    expect(live.byInstance).toEqual({ g1: 10, g4: 7 });
    expect(live.stale.sort()).toEqual(['g2', 'g3']);
  });
});

function figures(eventId: string, over: Partial<EventFigures> = {}): EventFigures {
  return {
    eventId,
    name: `event ${eventId.slice(-1)}`,
    seats: { capacity: 100, available: 90, held: 6, sold: 4 },
    totals: { ...ZERO_COUNTS, holds: 8, confirms: 2, revenueCents: 1000, cancellations: 1, refundCents: 200 },
    currentMinute: { ...ZERO_COUNTS, holds: 3, confirms: 1 },
    previousMinute: { ...ZERO_COUNTS, holds: 6, confirms: 2 },
    queue: { waiting: 10, active: 2, admittedPerMinute: 5, paused: false, fairnessDisplacement: 1 },
    waitlist: { entries: 2, seats: 3 },
    ...over,
  };
}

describe('snapshots', () => {
  const at = new Date('2030-01-01T10:00:30Z');
  const connections = { total: 7, byInstance: { g1: 3, g2: 4 }, stale: [] };

  it('builds one per event and one for the system that add up, all valid against the contract', () => {
    const { system, byEvent } = buildAnalyticsSnapshots(
      [
        figures(E1),
        figures(E2, { queue: { waiting: 1, active: 0, admittedPerMinute: 0, paused: true, fairnessDisplacement: 4 } }),
      ],
      at,
      connections,
    );
    const one = byEvent.get(E1);
    expect(AnalyticsSnapshot.parse(one)).toEqual(one);
    expect(AnalyticsSnapshot.parse(system)).toEqual(system);
    expect(one).toMatchObject({
      eventId: E1,
      capacity: 100,
      sold: 4,
      revenueCents: 800,
      holdsPerMinute: 6,
      confirmsPerMinute: 2,
      conversionRate: 0.25,
      cancellationRate: 0.5,
      connections: 7,
    });
    expect(system).toMatchObject({
      capacity: 200,
      available: 180,
      held: 12,
      sold: 8,
      revenueCents: 1600,
      holdsPerMinute: 12,
      queue: { waiting: 11, active: 2, admittedPerMinute: 5, paused: true, fairnessDisplacement: 4 },
      waitlist: { entries: 4, seats: 6 },
      connectionsByInstance: { g1: 3, g2: 4 },
    });
    expect(system.eventId).toBeUndefined();
    expect(system.topEvents.map((e) => e.eventId)).toEqual([E1, E2]);
  });

  it('has an empty snapshot that is valid too', () => {
    const s = emptyAnalyticsSnapshot(at, E1);
    expect(AnalyticsSnapshot.parse(s)).toMatchObject({ eventId: E1, capacity: 0, topEvents: [] });
  });
});

describe('range summary', () => {
  it('totals, a daily series oldest first and events best-selling first', () => {
    const row = (day: string, eventId: string, confirms: number, revenueCents: number) => ({
      ...ZERO_COUNTS,
      day,
      eventId,
      name: eventId.slice(-1),
      holds: confirms * 2,
      confirms,
      revenueCents,
    });
    const s = summarizeAnalyticsRange(
      [row('2030-01-02', E1, 1, 100), row('2030-01-01', E1, 2, 200), row('2030-01-01', E2, 3, 900)],
      2 * 86_400_000,
    );
    expect(s.totals).toMatchObject({ confirms: 6, holds: 12, netRevenueCents: 1200, conversionRate: 0.5 });
    expect(s.daily).toEqual([
      { day: '2030-01-01', holds: 10, bookings: 5, revenueCents: 1100, cancellations: 0, refundCents: 0 },
      { day: '2030-01-02', holds: 2, bookings: 1, revenueCents: 100, cancellations: 0, refundCents: 0 },
    ]);
    expect(s.events.map((e) => [e.eventId, e.revenueCents])).toEqual([
      [E2, 900],
      [E1, 300],
    ]);
  });

  it('sums the days of each UTC month into the monthly series, oldest first', () => {
    const row = (day: string, confirms: number, revenueCents: number, refundCents = 0) => ({
      ...ZERO_COUNTS,
      day,
      eventId: E1,
      name: 'x',
      confirms,
      revenueCents,
      refundCents,
      cancellations: refundCents > 0 ? 1 : 0,
    });
    const s = summarizeAnalyticsRange(
      [row('2030-02-01', 1, 500), row('2030-01-31', 2, 200, 50), row('2030-01-01', 3, 300)],
      40 * 86_400_000,
    );
    expect(s.monthly).toEqual([
      { month: '2030-01', bookings: 5, revenueCents: 450, cancellations: 1, refundCents: 50 },
      { month: '2030-02', bookings: 1, revenueCents: 500, cancellations: 0, refundCents: 0 },
    ]);
  });
});
