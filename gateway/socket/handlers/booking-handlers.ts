import type { commands } from '../../../core/contract/commands.js';
import { cancelBooking } from '../../../core/use-cases/bookings/cancel-booking.js';
import { listBookings } from '../../../core/use-cases/bookings/list-bookings.js';
import type { Handlers } from '../bind-commands.js';
import type { UserSocket } from '../typed-server.js';
import { afterSeatChange } from './after-seat-change.js';

export const bookingHandlers: Handlers<typeof commands, UserSocket> = {
  'booking:list': async (_payload, call) => ({ bookings: await listBookings(call.app.pool, call.user().userId) }),
  'booking:cancel': async ({ bookingId }, call) => {
    const cancelled = await cancelBooking(call.app.pool, call.user().userId, bookingId, call.app.now());
    afterSeatChange(call.app, cancelled.eventId, cancelled.changes);
    return { bookingId, status: 'cancelled' as const, refundCents: cancelled.refundCents };
  },
};
