import type { adminCommands, commands, QueueState } from '../../../core/contract/commands.js';
import { AppError } from '../../../core/domain/app-error.js';
import { redeemAccessCode } from '../../../core/use-cases/access-codes/redeem-access-code.js';
import { controlAdmission } from '../../../core/use-cases/waiting-room/control-admission.js';
import { joinQueue } from '../../../core/use-cases/waiting-room/join-queue.js';
import { leaveQueue } from '../../../core/use-cases/waiting-room/leave-queue.js';
import { queueStatus } from '../../../core/use-cases/waiting-room/queue-status.js';
import type { AppContext } from '../../context/app-context.js';
import type { AdminSocket, UserSocket } from '../../io/typed-server.js';
import { announceQueueState } from '../../waiting-room/announce-queue-state.js';
import type { CommandCaller, Handlers } from '../bind-commands.js';
import { forgetQueuedEvent, rememberQueuedEvent } from './queue-lifecycle.js';

const queueDeps = (app: AppContext) => ({
  pool: app.pool,
  redis: app.redis,
  keys: app.keys,
  admissionTokenSecret: app.config.admissionTokenSecret,
  challenge: app.config.challenge,
});

/** The socket behind a command, or null when it came over HTTP (no pushes, no grace period). */
const socketOf = (caller: CommandCaller): UserSocket | null => ('emit' in caller ? (caller as UserSocket) : null);

/** A waiting socket gets its positions from this gateway from now on; others stop getting them. */
function followPlace(call: { app: AppContext; socket: CommandCaller }, eventId: string, state: QueueState): void {
  const socket = socketOf(call.socket);
  if (!socket) return;
  if (state.state !== 'none') rememberQueuedEvent(socket, eventId);
  if (state.state === 'waiting') {
    const { state: _, ...place } = state;
    call.app.queuePositions.track(socket, eventId, place);
  } else {
    call.app.queuePositions.untrack(socket, eventId);
  }
}

/** An admission names the shop tier to buy at, when this deployment has one (SHOP_URL). */
const withShop = (state: QueueState, shopUrl: string | null): QueueState =>
  state.state === 'admitted' && shopUrl ? { ...state, shopUrl } : state;

/** Waiting-room commands on `/` and their HTTP routes (a caller without a socket follows nothing). */
export const queueCommandHandlers: Handlers<typeof commands, CommandCaller> = {
  'queue:join': async ({ eventId, accessCode, proof }, call) => {
    const user = call.user();
    // Nothing left to sell (none available or held): no point in waiting. Answered from
    // this gateway's memory of the event's seats, which the join keeps live from here on.
    if ((await call.app.liveSeats.seatsLeft(eventId)) === 0) throw new AppError('SOLD_OUT', 'the event is sold out');
    const now = call.app.now();
    const priority = accessCode
      ? await redeemAccessCode(call.app.pool, { eventId, userId: user.userId, code: accessCode, now })
      : null;
    const state = await joinQueue(queueDeps(call.app), eventId, user.userId, now, priority, proof);
    followPlace(call, eventId, state);
    return withShop(state, call.app.config.shopUrl);
  },
  'queue:status': async ({ eventId }, call) => {
    const user = call.user();
    const state = await queueStatus(queueDeps(call.app), eventId, user.userId, call.app.now());
    followPlace(call, eventId, state);
    return withShop(state, call.app.config.shopUrl);
  },
  'queue:leave': async ({ eventId }, call) => {
    const user = call.user();
    await leaveQueue(call.app, eventId, user.userId);
    call.app.admissionPasses?.forget(eventId, user.userId);
    const socket = socketOf(call.socket);
    if (socket) {
      forgetQueuedEvent(socket, eventId);
      call.app.queuePositions.untrack(socket, eventId);
    }
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
