import type { adminCommands } from '../../core/contract/commands.js';
import type { Handlers } from './bind-commands.js';
import { analyticsHandlers } from './handlers/analytics-handlers.js';
import { queueAdminHandlers } from './handlers/queue-handlers.js';
import { scopeAdminHandlers } from './scope-admin-handlers.js';
import type { AdminSocket } from './typed-server.js';

/** Handlers for namespace `/admin`, one module per feature; organizers reach their own events only. */
export const adminCommandHandlers: Handlers<typeof adminCommands, AdminSocket> = scopeAdminHandlers({
  ...queueAdminHandlers,
  ...analyticsHandlers,
});
