import type { adminCommands, commands, QueueState } from '../../../core/contract/commands.js';
import { AppError } from '../../../core/domain/app-error.js';
import { redeemAccessCode } from '../../../core/use-cases/access-codes/redeem-access-code.js';
import { controlAdmission } from '../../../core/use-cases/queue/control-admission.js';
import { joinQueue } from '../../../core/use-cases/queue/join-queue.js';
import { leaveQueue } from '../../../core/use-cases/queue/leave-queue.js';
import { queueStatus } from '../../../core/use-cases/queue/queue-status.js';
import type { AppContext } from '../../app-context.js';
import { announceQueueState } from '../../queue/announce-queue-state.js';
import type { Handlers } from '../bind-commands.js';
import type { AdminSocket, UserSocket } from '../typed-server.js';
import { forgetQueuedEvent, rememberQueuedEvent } from './queue-lifecycle.js';

const queueDeps = (app: AppContext) => ({
  pool: app.pool,
  redis: app.redis,
  keys: app.keys,
  admissionTokenSecret: app.config.admissionTokenSecret,
});

/** A waiting socket gets its positions from this gateway from now on; others stop getting them. */
function followPlace(call: { app: AppContext; socket: UserSocket }, eventId: string, state: QueueState): void {
  if (state.state === 'waiting') {
    const { state: _, ...place } = state;
    call.app.queuePositions.track(call.socket, eventId, place);
  } else {
    call.app.queuePositions.untrack(call.socket, eventId);
  }
}

/** Waiting-room commands on `/`. */
export const queueCommandHandlers: Handlers<typeof commands, UserSocket> = {
  'queue:join': async ({ eventId, accessCode }, call) => {
    const user = call.user();
    // v1.1: nothing left to sell (none available or held): no point in waiting. Answered from
    // this gateway's memory of the event's seats, which the join keeps live from here on.
    if ((await call.app.liveSeats.seatsLeft(eventId)) === 0) throw new AppError('SOLD_OUT', 'the event is sold out');
    const now = call.app.now();
    const priority = accessCode
      ? await redeemAccessCode(call.app.pool, { eventId, userId: user.userId, code: accessCode, now })
      : null;
    const state = await joinQueue(queueDeps(call.app), eventId, user.userId, now, priority);
    rememberQueuedEvent(call.socket, eventId);
    followPlace(call, eventId, state);
    return state;
  },
  'queue:status': async ({ eventId }, call) => {
    const user = call.user();
    const state = await queueStatus(queueDeps(call.app), eventId, user.userId, call.app.now());
    if (state.state !== 'none') rememberQueuedEvent(call.socket, eventId);
    followPlace(call, eventId, state);
    return state;
  },
  'queue:leave': async ({ eventId }, call) => {
    const user = call.user();
    await leaveQueue(call.app, eventId, user.userId);
    forgetQueuedEvent(call.socket, eventId);
    call.app.queuePositions.untrack(call.socket, eventId);
    return {};
  },
};

/** Waiting-room steering on `/admin`. */
export const queueAdminHandlers: Handlers<typeof adminCommands, AdminSocket> = {
  'queue:control': async (payload, call) => {
    const state = await controlAdmission(call.app, payload, call.user().userId);
    if (payload.action !== 'configure')
      announceQueueState(call.app.io, payload.eventId, payload.action === 'pause' ? 'paused' : 'resumed', 'everywhere');
    return state;
  },
};
