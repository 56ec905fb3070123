import type { commands } from '../../../core/contract/commands.js';
import { joinWaitlist } from '../../../core/use-cases/waitlist/join-waitlist.js';
import { leaveWaitlist } from '../../../core/use-cases/waitlist/leave-waitlist.js';
import { pushWaitlistPositions } from '../../../core/use-cases/waitlist/push-waitlist-positions.js';
import type { Handlers } from '../bind-commands.js';
import type { UserSocket } from '../typed-server.js';
import { afterSeatChange } from './after-seat-change.js';

export const waitlistHandlers: Handlers<typeof commands, UserSocket> = {
  'waitlist:join': async ({ eventId, quantity, section }, call) => {
    const { app } = call;
    const spot = await joinWaitlist(
      { pool: app.pool, batcher: app.batchers?.waitlist ?? null, deadlineAt: call.deadlineAt },
      {
        eventId,
        userId: call.user().userId,
        quantity,
        section: section ?? null,
        now: app.now(),
      },
    );
    // Seats may be free right now (released before anyone was waiting): let a worker offer them.
    if (spot.created) {
      app.seatJobs.requestWaitlistOffer(eventId).catch((err: unknown) => app.log.warn({ err, eventId }, 'offer job not queued'));
    }
    return { eventId, position: spot.position, quantity: spot.quantity };
  },
  'waitlist:leave': async ({ eventId }, call) => {
    const { app } = call;
    const left = await leaveWaitlist(app.pool, eventId, call.user().userId);
    if (left.left) {
      afterSeatChange(app, eventId, left.changes);
      pushWaitlistPositions(app.pool, app.io, eventId).catch((err: unknown) =>
        app.log.warn({ err, eventId }, 'waitlist positions not pushed'),
      );
    }
    return {};
  },
};
