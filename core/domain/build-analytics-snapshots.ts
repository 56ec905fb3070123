import type { AnalyticsSnapshot } from '../contract/commands.js';
import { cancellationRate, conversionRate, slidingRatePerMinute } from './analytics-rates.js';
import { addCounts, minuteStartMs, netRevenueCents, type RollupCounts, ZERO_COUNTS } from './audit-delta.js';
import type { LiveConnections } from './instance-connections.js';
import { topEvents } from './top-events.js';

export const TOP_EVENTS = 5;

/** Everything known about one live event at one tick, gathered by the analytics worker. */
export interface EventFigures {
  eventId: string;
  name: string;
  seats: { capacity: number; available: number; held: number; sold: number };
  /** Running totals since the first sale. */
  totals: RollupCounts;
  /** Roll-up buckets of the current and the previous UTC minute. */
  currentMinute: RollupCounts;
  previousMinute: RollupCounts;
  queue: AnalyticsSnapshot['queue'];
  waitlist: { entries: number; seats: number };
}

export interface AnalyticsSnapshots {
  /** The whole system: sums over the live events (queue displacement: the worst one). */
  system: AnalyticsSnapshot;
  byEvent: Map<string, AnalyticsSnapshot>;
}

function snapshotOf(
  f: Omit<EventFigures, 'eventId' | 'name'>,
  eventId: string | undefined,
  at: Date,
  connections: LiveConnections,
  top: AnalyticsSnapshot['topEvents'],
): AnalyticsSnapshot {
  const intoMinute = at.getTime() - minuteStartMs(at.getTime());
  return {
    at: at.toISOString(),
    ...(eventId ? { eventId } : {}),
    ...f.seats,
    revenueCents: netRevenueCents(f.totals),
    holdsPerMinute: slidingRatePerMinute(f.previousMinute.holds, f.currentMinute.holds, intoMinute),
    confirmsPerMinute: slidingRatePerMinute(f.previousMinute.confirms, f.currentMinute.confirms, intoMinute),
    conversionRate: conversionRate(f.totals.confirms, f.totals.holds),
    cancellationRate: cancellationRate(f.totals.cancellations, f.totals.confirms),
    queue: f.queue,
    waitlist: f.waitlist,
    connections: connections.total,
    connectionsByInstance: connections.byInstance,
    topEvents: top,
  };
}

/** One snapshot per live event and one for the whole system, from the same figures. */
export function buildAnalyticsSnapshots(
  events: readonly EventFigures[],
  at: Date,
  connections: LiveConnections,
): AnalyticsSnapshots {
  const top = topEvents(
    events.map((e) => ({ eventId: e.eventId, name: e.name, sold: e.seats.sold, revenueCents: netRevenueCents(e.totals) })),
    TOP_EVENTS,
  );
  const byEvent = new Map(events.map((e) => [e.eventId, snapshotOf(e, e.eventId, at, connections, top)]));
  const sum = events.reduce(
    (acc, e) => ({
      seats: {
        capacity: acc.seats.capacity + e.seats.capacity,
        available: acc.seats.available + e.seats.available,
        held: acc.seats.held + e.seats.held,
        sold: acc.seats.sold + e.seats.sold,
      },
      totals: addCounts(acc.totals, e.totals),
      currentMinute: addCounts(acc.currentMinute, e.currentMinute),
      previousMinute: addCounts(acc.previousMinute, e.previousMinute),
      queue: {
        waiting: acc.queue.waiting + e.queue.waiting,
        active: acc.queue.active + e.queue.active,
        admittedPerMinute: acc.queue.admittedPerMinute + e.queue.admittedPerMinute,
        paused: acc.queue.paused || e.queue.paused,
        fairnessDisplacement: Math.max(acc.queue.fairnessDisplacement ?? 0, e.queue.fairnessDisplacement ?? 0),
      },
      waitlist: { entries: acc.waitlist.entries + e.waitlist.entries, seats: acc.waitlist.seats + e.waitlist.seats },
    }),
    emptyFigures(),
  );
  return { system: snapshotOf(sum, undefined, at, connections, top), byEvent };
}

function emptyFigures(): Omit<EventFigures, 'eventId' | 'name'> {
  return {
    seats: { capacity: 0, available: 0, held: 0, sold: 0 },
    totals: ZERO_COUNTS,
    currentMinute: ZERO_COUNTS,
    previousMinute: ZERO_COUNTS,
    queue: { waiting: 0, active: 0, admittedPerMinute: 0, paused: false, fairnessDisplacement: 0 },
    waitlist: { entries: 0, seats: 0 },
  };
}

/** What an admin gets before the worker has covered the event (or any event) once. */
export function emptyAnalyticsSnapshot(at: Date, eventId?: string): AnalyticsSnapshot {
  return snapshotOf(emptyFigures(), eventId, at, { total: 0, byInstance: {}, stale: [] }, []);
}
