import type { Config } from '../core/config.js';
import type { Pool } from '../core/db/pool.js';
import type { Logger } from '../core/log.js';
import type { Metrics } from '../core/metrics.js';
import type { Redis } from '../core/redis/connect-redis.js';
import type { SocketEmitter } from '../core/redis/create-socket-emitter.js';
import type { Keys } from '../core/redis/keys.js';
import type { SeatChangePublisher } from '../core/seat-change-publisher.js';

/** What every worker module gets; built once by startWorkers. */
export interface WorkerContext {
  config: Config;
  log: Logger;
  pool: Pool;
  /** For commands. BullMQ gets its own connections (blocking reads). */
  redis: Redis;
  keys: Keys;
  metrics: Metrics;
  emitter: SocketEmitter;
  seatChanges: SeatChangePublisher;
  now: () => Date;
}

/** A worker feature (admission ticks, hold expiry, ...): started once, closed on shutdown. */
export interface WorkerModule {
  name: string;
  start(ctx: WorkerContext): Promise<{ close(): Promise<void> }>;
}
