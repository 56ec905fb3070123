import { scopeSnapshotToEvent } from '../../core/domain/scope-snapshot.js';
import { rooms } from '../../core/rooms.js';
import { computeAnalytics } from '../../core/use-cases/analytics/compute-analytics.js';
import { rollUpAuditLog } from '../../core/use-cases/analytics/roll-up-audit-log.js';
import { storeAnalyticsSnapshots } from '../../core/use-cases/analytics/store-analytics-snapshots.js';
import type { WorkerContext } from '../runtime/worker-context.js';

/** A gateway whose heartbeat is older than this no longer counts (killed, partitioned). */
export const staleConnectionsMs = (intervalMs: number) => Math.max(3 * intervalMs, 3000);
/** Stored snapshots outlive a few missed ticks, not a dead analytics worker. */
const snapshotTtlMs = (intervalMs: number) => Math.max(10 * intervalMs, 10_000);

/**
 * One analytics tick (run by exactly one worker process per interval): roll the audit log up,
 * compute every snapshot once, store them for gateways to answer subscribes with, and push them
 * to the admin rooms on every gateway through the socket emitter.
 */
export async function runAnalyticsTick(ctx: WorkerContext): Promise<{ applied: number; events: number }> {
  const applied = await rollUpAuditLog(ctx.pool);
  const now = ctx.now();
  const intervalMs = ctx.config.analyticsIntervalMs;
  const snapshots = await computeAnalytics(ctx, now, staleConnectionsMs(intervalMs));
  const isLatest = await storeAnalyticsSnapshots(ctx, snapshots, snapshotTtlMs(intervalMs));
  if (!isLatest) return { applied, events: 0 };
  const admin = ctx.emitter.of('/admin');
  admin.to(rooms.analytics()).emit('analytics:update', snapshots.system);
  for (const [eventId, snapshot] of snapshots.byEvent) {
    admin.to(rooms.analytics(eventId)).emit('analytics:update', snapshot);
    admin.to(rooms.analyticsScoped(eventId)).emit('analytics:update', scopeSnapshotToEvent(snapshot, eventId));
  }
  return { applied, events: snapshots.byEvent.size };
}
