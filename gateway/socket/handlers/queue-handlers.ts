import type { adminCommands, commands } from '../../../core/contract/commands.js';
import { redeemAccessCode } from '../../../core/use-cases/access-codes/redeem-access-code.js';
import { controlAdmission } from '../../../core/use-cases/queue/control-admission.js';
import { joinQueue } from '../../../core/use-cases/queue/join-queue.js';
import { leaveQueue } from '../../../core/use-cases/queue/leave-queue.js';
import { queueStatus } from '../../../core/use-cases/queue/queue-status.js';
import type { AppContext } from '../../app-context.js';
import type { Handlers } from '../bind-commands.js';
import type { AdminSocket, UserSocket } from '../typed-server.js';
import { forgetQueuedEvent, rememberQueuedEvent } from './queue-lifecycle.js';

const queueDeps = (app: AppContext) => ({
  pool: app.pool,
  redis: app.redis,
  keys: app.keys,
  admissionTokenSecret: app.config.admissionTokenSecret,
});

/** Waiting-room commands on `/`. */
export const queueCommandHandlers: Handlers<typeof commands, UserSocket> = {
  'queue:join': async ({ eventId, accessCode }, call) => {
    const user = call.user();
    const now = call.app.now();
    const priority = accessCode
      ? await redeemAccessCode(call.app.pool, { eventId, userId: user.userId, code: accessCode, now })
      : null;
    const state = await joinQueue(queueDeps(call.app), eventId, user.userId, now, priority);
    rememberQueuedEvent(call.socket, eventId);
    return state;
  },
  'queue:status': async ({ eventId }, call) => {
    const user = call.user();
    const state = await queueStatus(queueDeps(call.app), eventId, user.userId, call.app.now());
    if (state.state !== 'none') rememberQueuedEvent(call.socket, eventId);
    return state;
  },
  'queue:leave': async ({ eventId }, call) => {
    const user = call.user();
    await leaveQueue(call.app, eventId, user.userId);
    forgetQueuedEvent(call.socket, eventId);
    return {};
  },
};

/** Waiting-room steering on `/admin`. */
export const queueAdminHandlers: Handlers<typeof adminCommands, AdminSocket> = {
  'queue:control': (payload, call) => controlAdmission(call.app, payload, call.user().userId),
};
