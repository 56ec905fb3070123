const MINUTE_MS = 60_000;

const round = (n: number, places: number): number => {
  const f = 10 ** places;
  return Math.round(n * f) / f;
};

/**
 * Events in the trailing 60 seconds from two minute buckets (sliding-window counter): all of the
 * current minute plus the share of the previous one still inside the window. Exact when events
 * are spread evenly over the previous minute; never needs per-second storage.
 */
export function slidingRatePerMinute(previousMinute: number, currentMinute: number, msIntoCurrentMinute: number): number {
  const elapsed = Math.min(Math.max(msIntoCurrentMinute, 0), MINUTE_MS);
  return round(currentMinute + previousMinute * (1 - elapsed / MINUTE_MS), 2);
}

/** Average per minute over a range. */
export function averagePerMinute(count: number, rangeMs: number): number {
  return rangeMs <= 0 ? 0 : round(count / (rangeMs / MINUTE_MS), 4);
}

/** Share of holds that became bookings, in [0, 1]; 0 before the first hold. */
export function conversionRate(confirms: number, holds: number): number {
  return holds <= 0 ? 0 : round(Math.min(confirms / holds, 1), 4);
}

/** Share of bookings cancelled, in [0, 1]; 0 before the first booking. */
export function cancellationRate(cancellations: number, confirms: number): number {
  return confirms <= 0 ? 0 : round(Math.min(cancellations / confirms, 1), 4);
}
