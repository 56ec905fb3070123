/**
 * How many more seats a user may take for an event: the event's `maxSeatsPerUser` minus the
 * seats the user holds (live holds, waitlist offers included) plus owns (confirmed bookings).
 * The one rule behind seats:hold, waitlist offers and waitlist joins; never negative.
 */
export function seatAllowance(maxSeatsPerUser: number, heldOrOwned: number): number {
  return Math.max(0, maxSeatsPerUser - heldOrOwned);
}
