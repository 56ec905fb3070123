import type { Pool } from '../../db/pool.js';
import { type AnalyticsSnapshots, buildAnalyticsSnapshots } from '../../domain/build-analytics-snapshots.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { readQueueFigures } from '../waiting-room/read-queue-figures.js';
import { findLiveEventFigures } from './find-live-event-figures.js';
import { readInstanceConnections } from './read-instance-connections.js';

export interface AnalyticsDeps {
  pool: Pool;
  redis: Redis;
  keys: Keys;
}

/**
 * One tick's picture: one Postgres statement for all live events, one Redis round trip per event
 * for the waiting room, one for the gateways' connection counts. Roll up the audit log first.
 */
export async function computeAnalytics(deps: AnalyticsDeps, now: Date, staleConnectionsMs: number): Promise<AnalyticsSnapshots> {
  const [events, connections] = await Promise.all([
    findLiveEventFigures(deps.pool, now),
    readInstanceConnections(deps, now, staleConnectionsMs),
  ]);
  const queues = await Promise.all(events.map((e) => readQueueFigures(deps, e.eventId, now)));
  return buildAnalyticsSnapshots(
    events.map((e, i) => ({ ...e, queue: queues[i] as (typeof queues)[number] })),
    now,
    connections,
  );
}
