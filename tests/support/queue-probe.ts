import { afterAll } from 'vitest';
import type { Config } from '../../core/config.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { createKeys } from '../../core/redis/keys.js';
import { waitUntil } from './wait-until.js';

/** Reads an event's waiting room straight from Redis (what the test can see, not what it asserts). */
export function createQueueProbe(config: Config) {
  const redis = connectRedis(config.redis);
  const keys = createKeys(config.redisPrefix);
  afterAll(() => redis.disconnect());
  const stats = (eventId: string) => redis.hgetall(keys.admissionStats(eventId));
  return {
    redis,
    keys,
    stats,
    controlVersion: (eventId: string) => redis.hget(keys.admissionControl(eventId), 'version'),
    /** Live sessions (user -> `sessionId:issuedAt:expiresAt`). */
    sessions: (eventId: string) => redis.hgetall(keys.admissionSessions(eventId)),
    activeCount: (eventId: string) => redis.zcard(keys.active(eventId)),
    /** Waits for a completed tick that ran with the current control version (after an admin change). */
    async waitForTickWithCurrentSettings(eventId: string): Promise<Record<string, string>> {
      const version = await redis.hget(keys.admissionControl(eventId), 'version');
      return waitUntil(`a tick with settings ${version}`, async () => {
        const s = await stats(eventId);
        return s.tickVersion === version ? s : null;
      });
    },
  };
}
