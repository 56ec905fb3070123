import { type LiveConnections, liveConnections } from '../../domain/instance-connections.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

/** Live gateways' connection counts; entries of gateways that stopped heartbeating are removed. */
export async function readInstanceConnections(
  deps: { redis: Redis; keys: Keys },
  now: Date,
  staleAfterMs: number,
): Promise<LiveConnections> {
  const live = liveConnections(await deps.redis.hgetall(deps.keys.instanceConnections), now.getTime(), staleAfterMs);
  if (live.stale.length > 0) await deps.redis.hdel(deps.keys.instanceConnections, ...live.stale);
  return live;
}
