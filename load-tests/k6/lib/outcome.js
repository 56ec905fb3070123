// What a run achieved, as k6 metrics: the summary's sale outcome and the `count>0` thresholds that
// fail a run where nothing happened (seedOutcome() in setup gives each a sample to be judged on).
import { Counter, Rate, Trend } from 'k6/metrics';

export const signups = new Counter('evently_signups');
/** One sample per sign-up attempt: true when it failed (thresholded, the run aborts past it). */
export const signupFailed = new Rate('evently_signup_failed');
/** Failed sign-ups and setup requests, tagged `status` (HTTP status, or 0 for a network error). */
export const signupFailures = new Counter('evently_signup_failures');
export const setupRetries = new Counter('evently_setup_retries');
export const admissions = new Counter('evently_admissions');
export const admissionTimeouts = new Counter('evently_admission_timeouts');
export const holds = new Counter('evently_holds');
export const seatsHeld = new Counter('evently_seats_held');
export const bookings = new Counter('evently_bookings');
export const seatsConfirmed = new Counter('evently_seats_confirmed');
export const waitlistOffers = new Counter('evently_waitlist_offers');
/** Milliseconds from the sale's start (setup) to the first SOLD_OUT a VU saw: its min is when the
 * sale sold out. */
export const soldOutAfter = new Trend('evently_sold_out_after_ms', true);
export const reconnects = new Counter('evently_reconnects');
/** Reconnects that never got back (no token, no socket or no `me:state` answer after every try). */
export const reconnectFailures = new Counter('evently_reconnect_failures');
export const powSolved = new Counter('evently_pow_solved');
export const powRejected = new Counter('evently_pow_rejected');
export const powTime = new Trend('evently_pow_ms', true);
export const shopSwitches = new Counter('evently_shop_switches');
export const analyticsUpdates = new Counter('evently_analytics_updates');

/** A 0 sample for each counter a script's `count>0` thresholds and the summary judge. */
export function seedOutcome() {
  for (const c of [signups, admissions, holds, seatsHeld, bookings, seatsConfirmed, reconnects, analyticsUpdates]) c.add(0);
  signupFailed.add(false);
}
