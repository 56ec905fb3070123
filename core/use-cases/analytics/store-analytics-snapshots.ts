import type { AnalyticsSnapshots } from '../../domain/build-analytics-snapshots.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';

export const SYSTEM_FIELD = '*';
const script = loadLuaScript(new URL('./store-analytics-snapshots.lua', import.meta.url));

/**
 * Replaces the stored snapshots (events that stopped being live disappear) unless a newer tick
 * got there first; returns whether these are now the latest, i.e. worth pushing. The key expires
 * when no worker writes it for a while, so a gateway never serves a stale picture for long.
 */
export async function storeAnalyticsSnapshots(
  deps: { redis: Redis; keys: Keys },
  snapshots: AnalyticsSnapshots,
  ttlMs: number,
): Promise<boolean> {
  const fields: string[] = [SYSTEM_FIELD, JSON.stringify(snapshots.system)];
  for (const [eventId, s] of snapshots.byEvent) fields.push(eventId, JSON.stringify(s));
  const at = Date.parse(snapshots.system.at);
  return (await script.run(deps.redis, [deps.keys.analyticsSnapshots], [at, ttlMs, ...fields])) === 1;
}
