import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/** A Redis connection; `forBlocking` ones (BullMQ workers) must not give up on retries. */
export function connectRedis(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
  // ioredis retries on its own; an 'error' without a listener would crash the process.
  redis.on('error', () => {});
  return redis;
}
