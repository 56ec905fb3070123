import { AppError } from './app-error.js';

/** A buyer may cancel until the event starts; the refund is the event's share of the price. */
export function refundFor(booking: { totalCents: number }, event: { startsAt: Date; refundPercent: number }, now: Date): number {
  if (now >= event.startsAt) throw new AppError('FORBIDDEN', 'the event has started; bookings can no longer be cancelled');
  // Rounded down: a refund never exceeds the stated share (integer cents).
  return Math.floor((booking.totalCents * event.refundPercent) / 100);
}
