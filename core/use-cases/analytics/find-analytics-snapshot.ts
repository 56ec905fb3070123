import { AnalyticsSnapshot } from '../../contract/commands.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { SYSTEM_FIELD } from './store-analytics-snapshots.js';

/** The latest snapshot the analytics worker stored (system-wide or for one event), or null. */
export async function findAnalyticsSnapshot(
  deps: { redis: Redis; keys: Keys },
  eventId?: string,
): Promise<AnalyticsSnapshot | null> {
  const raw = await deps.redis.hget(deps.keys.analyticsSnapshots, eventId ?? SYSTEM_FIELD);
  if (!raw) return null;
  const parsed = AnalyticsSnapshot.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
