import type { commands } from '../../../core/contract/commands.js';
import { confirmHold } from '../../../core/use-cases/holds/confirm-hold.js';
import { holdSeats } from '../../../core/use-cases/holds/hold-seats.js';
import { releaseHold } from '../../../core/use-cases/holds/release-hold.js';
import { endAdmissionSession, verifyAdmission } from '../../../core/use-cases/queue/admission-session.js';
import type { AppContext } from '../../app-context.js';
import type { Handlers } from '../bind-commands.js';
import type { UserSocket } from '../typed-server.js';
import { afterSeatChange } from './after-seat-change.js';

/** The user's last hold is done: their admission slot goes to the next in the queue. */
function endAdmissionIfLast(app: AppContext, lastHold: boolean, eventId: string, userId: string): void {
  if (!lastHold) return;
  endAdmissionSession(app, eventId, userId).catch((err: unknown) =>
    app.log.warn({ err, eventId }, 'could not end the admission session'),
  );
}

export const holdHandlers: Handlers<typeof commands, UserSocket> = {
  'seats:hold': async (payload, call) => {
    const { app } = call;
    const { userId } = call.user();
    const result = await holdSeats(
      {
        pool: app.pool,
        seatLocks: app.seatLocks,
        checkAdmission: (token, who) =>
          verifyAdmission(
            { redis: app.redis, keys: app.keys, admissionTokenSecret: app.config.admissionTokenSecret },
            token,
            who,
            app.now(),
          ),
        now: app.now,
      },
      userId,
      payload,
    );
    if (!result.replayed) {
      app.metrics.holds.inc();
      afterSeatChange(app, payload.eventId, result.changes);
      app.seatJobs
        .scheduleHoldExpiry(result.reply.holdId, new Date(result.reply.expiresAt))
        .catch((err: unknown) =>
          app.log.warn({ err, holdId: result.reply.holdId }, 'expiry job not queued; the sweep will expire it'),
        );
    }
    return result.reply;
  },
  'hold:release': async ({ holdId }, call) => {
    const { app } = call;
    const { userId } = call.user();
    const released = await releaseHold(app.pool, userId, holdId);
    afterSeatChange(app, released.eventId, released.changes);
    endAdmissionIfLast(app, released.lastHold, released.eventId, userId);
    return { holdId, released: released.changes.length };
  },
  'hold:confirm': async (payload, call) => {
    const { app } = call;
    const { userId } = call.user();
    const result = await confirmHold(app.pool, userId, payload, app.now());
    if (!result.replayed) {
      app.metrics.confirms.inc();
      afterSeatChange(app, result.reply.eventId, result.changes);
      endAdmissionIfLast(app, result.lastHold, result.reply.eventId, userId);
    }
    return result.reply;
  },
};
