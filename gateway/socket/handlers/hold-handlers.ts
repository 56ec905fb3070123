import type { commands } from '../../../core/contract/commands.js';
import { confirmHold } from '../../../core/use-cases/seats/confirm-hold.js';
import { holdSeats } from '../../../core/use-cases/seats/hold-seats.js';
import { releaseHold } from '../../../core/use-cases/seats/release-hold.js';
import { verifyAdmission } from '../../../core/use-cases/waiting-room/admission-session.js';
import type { CommandCaller, Handlers } from '../bind-commands.js';

export const holdHandlers: Handlers<typeof commands, CommandCaller> = {
  'seats:hold': async (payload, call) => {
    const { app } = call;
    const { userId } = call.user();
    const result = await holdSeats(
      {
        pool: app.pool,
        seatLocks: app.seatLocks,
        // The gateway's passes: Redis is read once per admission, not on every hold.
        checkAdmission: (token, who) =>
          app.admissionPasses
            ? app.admissionPasses.verify(token, who, app.now())
            : verifyAdmission(
                { redis: app.redis, keys: app.keys, admissionTokenSecret: app.config.admissionTokenSecret },
                token,
                who,
                app.now(),
              ),
        now: app.now,
        batcher: app.batchers.hold,
        waitlistBatcher: app.batchers.waitlist,
        deadlineAt: call.deadlineAt,
      },
      userId,
      payload,
    );
    if (!result.replayed) app.metrics.holds.inc();
    call.afterCommit(result.effects);
    return result.reply;
  },
  'hold:release': async ({ holdId }, call) => {
    const { app } = call;
    const { userId } = call.user();
    const { released, effects } = await releaseHold(
      { pool: app.pool, batcher: app.batchers.release, deadlineAt: call.deadlineAt },
      userId,
      holdId,
    );
    call.afterCommit(effects);
    return { holdId, released };
  },
  'hold:confirm': async (payload, call) => {
    const { app } = call;
    const { userId } = call.user();
    const result = await confirmHold(
      { pool: app.pool, now: app.now, batcher: app.batchers.confirm, deadlineAt: call.deadlineAt },
      userId,
      payload,
    );
    if (!result.replayed) app.metrics.confirms.inc();
    call.afterCommit(result.effects);
    return result.reply;
  },
};
