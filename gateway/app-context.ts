import type { Config } from '../core/config.js';
import type { Pool } from '../core/db/pool.js';
import type { InFlight } from '../core/in-flight.js';
import type { SeatJobs } from '../core/jobs/seat-jobs.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { Redis } from '../core/redis/connect-redis.js';
import type { Keys } from '../core/redis/keys.js';
import type { SeatLocks } from '../core/redis/seat-locks.js';
import type { SeatChangePublisher } from '../core/seat-change-publisher.js';
import type { TypedServer } from './socket/typed-server.js';

/** Everything long-lived a gateway handler may use; built once in startGateway. */
export interface AppContext {
  config: Config;
  log: Logger;
  pool: Pool;
  redis: Redis;
  keys: Keys;
  metrics: Metrics;
  io: TypedServer;
  seatChanges: SeatChangePublisher;
  /** Redlock on seats (a no-op when REDLOCK_ENABLED=false). */
  seatLocks: SeatLocks;
  /** Hold-expiry and waitlist-offer jobs for the workers. */
  seatJobs: SeatJobs;
  now: () => Date;
  isShuttingDown: () => boolean;
  /** Commands being handled; shutdown waits for them before closing the pools. */
  inFlight: InFlight;
}
