import type { commands } from '../../../core/contract/commands.js';
import { confirmHold } from '../../../core/use-cases/holds/confirm-hold.js';
import { holdSeats } from '../../../core/use-cases/holds/hold-seats.js';
import { releaseHold } from '../../../core/use-cases/holds/release-hold.js';
import { verifyAdmission } from '../../../core/use-cases/queue/admission-session.js';
import type { Handlers } from '../bind-commands.js';
import type { UserSocket } from '../typed-server.js';
import { afterSeatChange } from './after-seat-change.js';

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
        batcher: app.batchers?.hold ?? null,
        waitlistBatcher: app.batchers?.waitlist ?? null,
        deadlineAt: call.deadlineAt,
      },
      userId,
      payload,
    );
    if (!result.replayed) {
      app.metrics.holds.inc();
      afterSeatChange(app, payload.eventId, result.changes, {
        newHold: { holdId: result.reply.holdId, expiresAt: new Date(result.reply.expiresAt) },
      });
    }
    return result.reply;
  },
  'hold:release': async ({ holdId }, call) => {
    const { app } = call;
    const { userId } = call.user();
    const released = await releaseHold(
      { pool: app.pool, batcher: app.batchers?.release ?? null, deadlineAt: call.deadlineAt },
      userId,
      holdId,
    );
    afterSeatChange(app, released.eventId, released.changes, { lastHoldOf: released.lastHold ? userId : null });
    return { holdId, released: released.changes.length };
  },
  'hold:confirm': async (payload, call) => {
    const { app } = call;
    const { userId } = call.user();
    const result = await confirmHold(
      { pool: app.pool, now: app.now, batcher: app.batchers?.confirm ?? null, deadlineAt: call.deadlineAt },
      userId,
      payload,
    );
    if (!result.replayed) {
      app.metrics.confirms.inc();
      afterSeatChange(app, result.reply.eventId, result.changes, { lastHoldOf: result.lastHold ? userId : null });
    }
    return result.reply;
  },
};
