import type { commands } from '../../../core/contract/commands.js';
import { cancelBooking } from '../../../core/use-cases/bookings/cancel-booking.js';
import { listBookings } from '../../../core/use-cases/bookings/list-bookings.js';
import type { CommandCaller, Handlers } from '../bind-commands.js';

export const bookingHandlers: Handlers<typeof commands, CommandCaller> = {
  'booking:list': async (_payload, call) => ({ bookings: await listBookings(call.app.pool, call.user().userId) }),
  'booking:cancel': async ({ bookingId }, call) => {
    const { refundCents, effects } = await cancelBooking(call.app.pool, call.user().userId, bookingId, call.app.now());
    call.afterCommit(effects);
    return { bookingId, status: 'cancelled' as const, refundCents };
  },
};
