import type { ProcessContext } from '../core/process-context.js';
import type { SocketEmitter } from '../core/redis/create-socket-emitter.js';

/** What every worker module gets; built once by startWorkers. */
export interface WorkerContext extends ProcessContext {
  /** Reaches sockets on every gateway instance. */
  emitter: SocketEmitter;
}

/** A worker feature (admission ticks, hold expiry, ...): started once, closed on shutdown. */
export interface WorkerModule {
  name: string;
  start(ctx: WorkerContext): Promise<{ close(): Promise<void> }>;
}
