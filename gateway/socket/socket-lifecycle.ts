import type { AppContext } from '../app-context.js';
import { queueLifecycle } from './handlers/queue-lifecycle.js';
import type { UserSocket } from './typed-server.js';

/** Per-feature reactions to a user socket connecting or going away (e.g. queue grace period). */
export interface SocketLifecycle {
  onConnect?(app: AppContext, socket: UserSocket): void | Promise<void>;
  onDisconnect?(app: AppContext, socket: UserSocket, reason: string): void | Promise<void>;
}

export const socketLifecycles: SocketLifecycle[] = [queueLifecycle];
