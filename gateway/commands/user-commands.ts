import type { commands } from '../../core/contract/commands.js';
import type { UserSocket } from '../io/typed-server.js';
import type { CommandCaller, Handlers } from '../socket/bind-commands.js';
import { bookingHandlers } from '../socket/handlers/booking-handlers.js';
import { holdHandlers } from '../socket/handlers/hold-handlers.js';
import { meHandlers } from '../socket/handlers/me-handlers.js';
import { queueCommandHandlers } from '../socket/handlers/queue-handlers.js';
import { seatHandlers } from '../socket/handlers/seat-handlers.js';
import { waitlistHandlers } from '../socket/handlers/waitlist-handlers.js';

/**
 * The commands a buyer can also send over HTTP (PROTOCOL "Booking over HTTP"): their
 * handlers need no socket, so both transports run the very same ones.
 */
export const bookingCommandHandlers: Handlers<typeof commands, CommandCaller> = {
  ...queueCommandHandlers,
  ...holdHandlers,
  ...bookingHandlers,
  ...waitlistHandlers,
  ...meHandlers,
};

/**
 * Handlers for namespace `/`, one module per feature; each spreads its map in here.
 * A command without a handler answers INTERNAL (not retryable).
 */
export const userCommandHandlers: Handlers<typeof commands, UserSocket> = {
  ...bookingCommandHandlers,
  ...seatHandlers,
};
