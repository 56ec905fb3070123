import { averagePerMinute, cancellationRate, conversionRate } from './analytics-rates.js';
import { addCounts, netRevenueCents, type RollupCounts, ZERO_COUNTS } from './audit-delta.js';

/** Roll-up counts of one event on one UTC day (`YYYY-MM-DD`), as the range query groups them. */
export interface DayEventCounts extends RollupCounts {
  day: string;
  eventId: string;
  name: string;
}

export interface RangeSummary {
  totals: RollupCounts & {
    netRevenueCents: number;
    holdsPerMinute: number;
    confirmsPerMinute: number;
    conversionRate: number;
    cancellationRate: number;
  };
  daily: { day: string; holds: number; bookings: number; revenueCents: number; cancellations: number; refundCents: number }[];
  /** The same counts per UTC month (`YYYY-MM`), oldest first. */
  monthly: { month: string; bookings: number; revenueCents: number; cancellations: number; refundCents: number }[];
  events: { eventId: string; name: string; holds: number; bookings: number; revenueCents: number; cancellations: number }[];
}

/** Totals, the daily series (oldest first) and per-event figures (best-selling first) for a range. */
export function summarizeAnalyticsRange(rows: readonly DayEventCounts[], rangeMs: number): RangeSummary {
  const byDay = new Map<string, RollupCounts>();
  const byMonth = new Map<string, RollupCounts>();
  const byEvent = new Map<string, { name: string; counts: RollupCounts }>();
  let totals: RollupCounts = ZERO_COUNTS;
  for (const r of rows) {
    totals = addCounts(totals, r);
    byDay.set(r.day, addCounts(byDay.get(r.day) ?? ZERO_COUNTS, r));
    const month = r.day.slice(0, 7);
    byMonth.set(month, addCounts(byMonth.get(month) ?? ZERO_COUNTS, r));
    const ev = byEvent.get(r.eventId);
    byEvent.set(r.eventId, { name: r.name, counts: addCounts(ev?.counts ?? ZERO_COUNTS, r) });
  }
  return {
    totals: {
      ...totals,
      netRevenueCents: netRevenueCents(totals),
      holdsPerMinute: averagePerMinute(totals.holds, rangeMs),
      confirmsPerMinute: averagePerMinute(totals.confirms, rangeMs),
      conversionRate: conversionRate(totals.confirms, totals.holds),
      cancellationRate: cancellationRate(totals.cancellations, totals.confirms),
    },
    daily: [...byDay.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([day, c]) => ({
        day,
        holds: c.holds,
        bookings: c.confirms,
        revenueCents: netRevenueCents(c),
        cancellations: c.cancellations,
        refundCents: c.refundCents,
      })),
    monthly: [...byMonth.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([month, c]) => ({
        month,
        bookings: c.confirms,
        revenueCents: netRevenueCents(c),
        cancellations: c.cancellations,
        refundCents: c.refundCents,
      })),
    events: [...byEvent.entries()]
      .map(([eventId, { name, counts: c }]) => ({
        eventId,
        name,
        holds: c.holds,
        bookings: c.confirms,
        revenueCents: netRevenueCents(c),
        cancellations: c.cancellations,
      }))
      .sort((a, b) => b.revenueCents - a.revenueCents || b.bookings - a.bookings || a.eventId.localeCompare(b.eventId)),
  };
}
