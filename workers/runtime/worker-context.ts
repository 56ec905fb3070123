import type { SeatJobs } from '../../core/jobs/seat-jobs.js';
import type { ProcessContext } from '../../core/process-context.js';
import type { SocketEmitter } from '../../core/redis/create-socket-emitter.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';

/** What every worker module gets; built once by startWorkers. */
export interface WorkerContext extends ProcessContext {
  /** Reaches sockets on every gateway instance. */
  emitter: SocketEmitter;
  /** The seat jobs' queues (expiry, waitlist offers), shared by every module. */
  seatJobs: SeatJobs;
  /** What a committed seat change leaves to do, as its use case returned it: the worker runner
   * (worker-after-commit.ts) runs the after-commit path with it; modules never run it themselves. */
  afterCommit(effects: SeatChangeEffects): void;
}

/** A worker feature (admission ticks, hold expiry, ...): started once, closed on shutdown. */
export interface WorkerModule {
  name: string;
  start(ctx: WorkerContext): Promise<{ close(): Promise<void> }>;
}
