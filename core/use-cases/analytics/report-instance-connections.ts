import { encodeConnectionEntry } from '../../domain/instance-connections.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

/** A gateway's heartbeat: its connection count, stamped with the time it was counted. */
export async function reportInstanceConnections(
  deps: { redis: Redis; keys: Keys },
  instanceId: string,
  count: number,
  now: Date,
): Promise<void> {
  await deps.redis.hset(deps.keys.instanceConnections, instanceId, encodeConnectionEntry(count, now.getTime()));
}

/** A gateway shutting down stops counting at once instead of after the stale limit. */
export async function forgetInstanceConnections(deps: { redis: Redis; keys: Keys }, instanceId: string): Promise<void> {
  await deps.redis.hdel(deps.keys.instanceConnections, instanceId);
}
