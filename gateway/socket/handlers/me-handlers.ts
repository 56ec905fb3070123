import type { commands } from '../../../core/contract/commands.js';
import { readMyState } from '../../../core/use-cases/me/read-my-state.js';
import type { CommandCaller, Handlers } from '../bind-commands.js';

/** `me:state` (and `GET /api/me/state`): what a reloaded page, a second tab or a phone picks up. */
export const meHandlers: Handlers<typeof commands, CommandCaller> = {
  'me:state': async (_payload, call) => {
    const { app } = call;
    return readMyState(
      { pool: app.pool, redis: app.redis, keys: app.keys, admissionTokenSecret: app.config.admissionTokenSecret },
      call.user().userId,
      app.now(),
    );
  },
};
