import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import type { Logger } from './log.js';
import type { Metrics } from './metrics.js';
import type { Redis } from './redis/connect-redis.js';
import type { Keys } from './redis/keys.js';
import type { SeatChangePublisher } from './seat-change-publisher.js';

/** The long-lived things every gateway and worker process builds once and passes down. */
export interface ProcessContext {
  config: Config;
  log: Logger;
  pool: Pool;
  /** For commands. BullMQ gets its own connections (blocking reads). */
  redis: Redis;
  keys: Keys;
  metrics: Metrics;
  /** Seat changes to publish after commit, coalesced per event. */
  seatChanges: SeatChangePublisher;
  now: () => Date;
}
