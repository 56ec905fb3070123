import type { commands } from '../../core/contract/commands.js';
import type { Handlers } from './bind-commands.js';
import { queueCommandHandlers } from './handlers/queue-handlers.js';
import type { UserSocket } from './typed-server.js';

/**
 * Handlers for namespace `/`, one module per feature; each spreads its map in here.
 * A command without a handler answers INTERNAL (not retryable).
 */
export const userCommandHandlers: Handlers<typeof commands, UserSocket> = {
  ...queueCommandHandlers,
};
