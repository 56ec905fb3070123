import type { commands } from '../../core/contract/commands.js';
import type { Handlers } from './bind-commands.js';
import { bookingHandlers } from './handlers/booking-handlers.js';
import { holdHandlers } from './handlers/hold-handlers.js';
import { queueCommandHandlers } from './handlers/queue-handlers.js';
import { seatHandlers } from './handlers/seat-handlers.js';
import { waitlistHandlers } from './handlers/waitlist-handlers.js';
import type { UserSocket } from './typed-server.js';

/**
 * Handlers for namespace `/`, one module per feature; each spreads its map in here.
 * A command without a handler answers INTERNAL (not retryable).
 */
export const userCommandHandlers: Handlers<typeof commands, UserSocket> = {
  ...queueCommandHandlers,
  ...seatHandlers,
  ...holdHandlers,
  ...bookingHandlers,
  ...waitlistHandlers,
};
