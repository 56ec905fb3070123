import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

/**
 * The user's last socket went away: their places are kept until `graceDeadline`, then the
 * admission tick drops them. Until then the admitter skips them (they keep the place).
 */
export async function markQueueDisconnected(
  deps: { redis: Redis; keys: Keys },
  eventIds: readonly string[],
  userId: string,
  graceDeadline: Date,
): Promise<void> {
  if (eventIds.length === 0) return;
  // One command per event, sent together: the events' keys live in different Cluster slots,
  // which one pipeline may not span.
  await Promise.all(eventIds.map((id) => deps.redis.zadd(deps.keys.queueDisconnected(id), graceDeadline.getTime(), userId)));
}

/** A socket of the user connected: every grace period running for them ends (they are back). */
export async function markQueueReconnected(deps: { redis: Redis; keys: Keys }, userId: string): Promise<void> {
  const eventIds = await deps.redis.smembers(deps.keys.onSaleEvents);
  if (eventIds.length === 0) return;
  await Promise.all(eventIds.map((id) => deps.redis.zrem(deps.keys.queueDisconnected(id), userId)));
}
