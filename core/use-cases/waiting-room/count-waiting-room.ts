import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

/**
 * How many people wait in the event's waiting room (pre-queue included: it shares the set).
 * While anyone does, freed seats stay on sale for them: they came before the event sold out.
 */
export async function countWaitingRoom(deps: { redis: Redis; keys: Keys }, eventId: string): Promise<number> {
  return deps.redis.zcard(deps.keys.queue(eventId));
}
