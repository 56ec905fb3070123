import type { AnalyticsReport } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import { summarizeAnalyticsRange } from '../../domain/summarize-analytics-range.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { findAccessCodeFigures } from '../access-codes/find-access-code-figures.js';
import { eventExists } from './event-exists.js';
import { findAnalyticsSnapshot } from './find-analytics-snapshot.js';
import { findRangeCounts } from './find-range-counts.js';
import { findReports } from './find-reports.js';

const DAY_MS = 86_400_000;
export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

/**
 * GET /api/admin/analytics: the roll-ups for [from, to) (default: the last 30 days), plus the
 * latest live snapshot for the figures that only exist now (inventory, queue, connections).
 * Counts reach the roll-ups one analytics tick after their commit.
 */
export async function getAnalyticsReport(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  q: { from?: string; to?: string; eventId?: string },
  now: Date,
  /** Platform-wide figures (registrations): admins only. `ownerId`: only that organizer's events
   * (its "all events"), and no live snapshot, which is platform-wide without an event. */
  scope: { includeRegistrations: boolean; ownerId?: string | null } = { includeRegistrations: true },
): Promise<AnalyticsReport> {
  const to = q.to ? new Date(q.to) : now;
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_RANGE_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new AppError('VALIDATION_FAILED', 'from must be before to');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new AppError('VALIDATION_FAILED', `at most ${MAX_RANGE_DAYS} days per request`);
  }
  if (q.eventId && !(await eventExists(deps.pool, q.eventId))) throw new AppError('NOT_FOUND', 'no such event');
  const ownerId = scope.ownerId ?? null;
  const [rows, live, accessCodes] = await Promise.all([
    findRangeCounts(deps.pool, from, to, q.eventId ?? null, ownerId),
    ownerId && !q.eventId ? null : findAnalyticsSnapshot(deps, q.eventId),
    findAccessCodeFigures(deps.pool, from, to, q.eventId ?? null, ownerId),
  ]);
  const { totals, daily, monthly, events } = summarizeAnalyticsRange(rows, to.getTime() - from.getTime());
  const reports = await findReports(
    deps.pool,
    { from, to, eventId: q.eventId ?? null, includeRegistrations: scope.includeRegistrations && !q.eventId, ownerId },
    events,
  );
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    ...(q.eventId ? { eventId: q.eventId } : {}),
    holds: totals.holds,
    heldSeats: totals.heldSeats,
    releases: totals.releases,
    expiries: totals.expiries,
    bookings: totals.confirms,
    grossRevenueCents: totals.revenueCents,
    refundCents: totals.refundCents,
    revenueCents: totals.netRevenueCents,
    cancellations: totals.cancellations,
    holdsPerMinute: totals.holdsPerMinute,
    confirmsPerMinute: totals.confirmsPerMinute,
    conversionRate: totals.conversionRate,
    cancellationRate: totals.cancellationRate,
    daily,
    monthly,
    events,
    live,
    accessCodes,
    reports,
  };
}
