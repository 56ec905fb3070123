import type { AppContext } from '../context/app-context.js';
import type { UserSocket } from '../io/typed-server.js';
import { queueLifecycle } from '../socket/handlers/queue-lifecycle.js';

/** Per-feature reactions to a user socket connecting or going away (e.g. queue grace period). */
export interface SocketLifecycle {
  onConnect?(app: AppContext, socket: UserSocket): void | Promise<void>;
  onDisconnect?(app: AppContext, socket: UserSocket, reason: string): void | Promise<void>;
}

export const socketLifecycles: SocketLifecycle[] = [queueLifecycle];
