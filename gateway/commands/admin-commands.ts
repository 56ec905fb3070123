import type { adminCommands } from '../../core/contract/commands.js';
import type { AdminSocket } from '../io/typed-server.js';
import type { Handlers } from '../socket/bind-commands.js';
import { analyticsHandlers } from '../socket/handlers/analytics-handlers.js';
import { queueAdminHandlers } from '../socket/handlers/queue-handlers.js';
import { scopeAdminHandlers } from '../socket/scope-admin-handlers.js';

/** Handlers for namespace `/admin`, one module per feature; organizers reach their own events only. */
export const adminCommandHandlers: Handlers<typeof adminCommands, AdminSocket> = scopeAdminHandlers({
  ...queueAdminHandlers,
  ...analyticsHandlers,
});
