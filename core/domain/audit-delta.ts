/** What the analytics roll-ups count, per event and minute and in running totals. */
export interface RollupCounts {
  holds: number;
  heldSeats: number;
  releases: number;
  expiries: number;
  confirms: number;
  revenueCents: number;
  cancellations: number;
  refundCents: number;
}

export const ZERO_COUNTS: Readonly<RollupCounts> = Object.freeze({
  holds: 0,
  heldSeats: 0,
  releases: 0,
  expiries: 0,
  confirms: 0,
  revenueCents: 0,
  cancellations: 0,
  refundCents: 0,
});

/** The audit actions that move a roll-up; every other action is skipped. */
export const ROLLUP_ACTIONS = [
  'hold.created',
  'hold.released',
  'hold.expired',
  'booking.confirmed',
  'booking.cancelled',
  'event.cancelled',
] as const;

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/**
 * How one audit entry changes the counts (the `data` fields are those the seat and catalog use
 * cases write). An event cancellation refunds every booking at once: it counts them all.
 */
export function auditDelta(action: string, data: Record<string, unknown>): RollupCounts | null {
  switch (action) {
    case 'hold.created':
      return { ...ZERO_COUNTS, holds: 1, heldSeats: Array.isArray(data.seats) ? data.seats.length : num(data.seats) };
    case 'hold.released':
      return { ...ZERO_COUNTS, releases: 1 };
    case 'hold.expired':
      return { ...ZERO_COUNTS, expiries: 1 };
    case 'booking.confirmed':
      return { ...ZERO_COUNTS, confirms: 1, revenueCents: num(data.totalCents) };
    case 'booking.cancelled':
      return { ...ZERO_COUNTS, cancellations: 1, refundCents: num(data.refundCents) };
    case 'event.cancelled':
      return { ...ZERO_COUNTS, cancellations: num(data.refundedBookings), refundCents: num(data.refundCents) };
    default:
      return null;
  }
}

export function addCounts(a: Readonly<RollupCounts>, b: Readonly<RollupCounts>): RollupCounts {
  return {
    holds: a.holds + b.holds,
    heldSeats: a.heldSeats + b.heldSeats,
    releases: a.releases + b.releases,
    expiries: a.expiries + b.expiries,
    confirms: a.confirms + b.confirms,
    revenueCents: a.revenueCents + b.revenueCents,
    cancellations: a.cancellations + b.cancellations,
    refundCents: a.refundCents + b.refundCents,
  };
}

/** Revenue kept after refunds. */
export const netRevenueCents = (c: Readonly<RollupCounts>): number => c.revenueCents - c.refundCents;

const MINUTE_MS = 60_000;
export const minuteStartMs = (ms: number): number => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

export interface AuditEntryForRollup {
  eventId: string;
  atMs: number;
  action: string;
  data: Record<string, unknown>;
}

export interface MinuteCounts extends RollupCounts {
  eventId: string;
  minuteMs: number;
}

/** Folds audit entries into one row per (event, minute), the shape the roll-up upsert takes. */
export function foldIntoMinutes(entries: readonly AuditEntryForRollup[]): MinuteCounts[] {
  const byKey = new Map<string, MinuteCounts>();
  for (const e of entries) {
    const delta = auditDelta(e.action, e.data);
    if (!delta) continue;
    const minuteMs = minuteStartMs(e.atMs);
    const key = `${e.eventId}|${minuteMs}`;
    const prev = byKey.get(key) ?? { eventId: e.eventId, minuteMs, ...ZERO_COUNTS };
    byKey.set(key, { eventId: e.eventId, minuteMs, ...addCounts(prev, delta) });
  }
  return [...byKey.values()];
}
