import type { commands } from '../../../core/contract/commands.js';
import { joinWaitlist } from '../../../core/use-cases/seats/join-waitlist.js';
import { leaveWaitlist } from '../../../core/use-cases/waitlist/leave-waitlist.js';
import type { CommandCaller, Handlers } from '../bind-commands.js';

export const waitlistHandlers: Handlers<typeof commands, CommandCaller> = {
  'waitlist:join': async ({ eventId, quantity, section }, call) => {
    const { app } = call;
    const spot = await joinWaitlist(
      { pool: app.pool, batcher: app.batchers.waitlist, deadlineAt: call.deadlineAt },
      {
        eventId,
        userId: call.user().userId,
        quantity,
        section: section ?? null,
        now: app.now(),
      },
    );
    call.afterCommit(spot.effects);
    return { eventId, position: spot.position, quantity: spot.quantity };
  },
  'waitlist:leave': async ({ eventId }, call) => {
    const { effects } = await leaveWaitlist(call.app.pool, eventId, call.user().userId);
    call.afterCommit(effects);
    return {};
  },
};
