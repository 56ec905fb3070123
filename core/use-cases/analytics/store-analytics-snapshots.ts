import type { AnalyticsSnapshots } from '../../domain/build-analytics-snapshots.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

export const SYSTEM_FIELD = '*';

/**
 * Replaces the stored snapshots in one MULTI (events that stopped being live disappear). The key
 * expires when no worker has written it for a while, so a gateway never serves a day-old picture.
 */
export async function storeAnalyticsSnapshots(
  deps: { redis: Redis; keys: Keys },
  snapshots: AnalyticsSnapshots,
  ttlMs: number,
): Promise<void> {
  const key = deps.keys.analyticsSnapshots;
  const fields: string[] = [SYSTEM_FIELD, JSON.stringify(snapshots.system)];
  for (const [eventId, s] of snapshots.byEvent) fields.push(eventId, JSON.stringify(s));
  await deps.redis
    .multi()
    .del(key)
    .hset(key, ...fields)
    .pexpire(key, ttlMs)
    .exec();
}
