import { z } from 'zod';
import { Booking } from './commands.js';
import { Cents, IsoTime } from './primitives.js';

/** GET /api/me/bookings[/:id]: a booking as `booking:list` has it, with its event's name and start. */
export const MyBooking = Booking.extend({
  eventName: z.string(),
  eventStartsAt: IsoTime,
  refundCents: Cents.nullable(),
  cancelledAt: IsoTime.nullable(),
});
export type MyBooking = z.infer<typeof MyBooking>;

export const MyBookingsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(400).optional(),
  })
  .strict();
export type MyBookingsQuery = z.infer<typeof MyBookingsQuery>;
