// Soak: steady traffic for a long period. Each VU keeps one socket and one seat-map subscription
// for the whole run and loops: queue (paying the proof of work when the door asks), hold 1–2 seats
// (at the shop the admission names, when it names one), mostly release, sometimes confirm then
// cancel (so inventory never runs out), list bookings. A lost socket reconnects, asks `me:state`
// and releases what the user still holds. Watch memory and latency stay flat.
//   k6 run -e BASE_URL=… -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… -e DURATION=2h load-tests/k6/soak.js
// Env: BASE_URL, EVENT_ID (else created), VUS (300), DURATION (1h), PACE (2s), CONNECT_TIMEOUT,
//      SUMMARY_JSON. Durations are k6 durations (90s, 1m30s, 1h30m), checked at init.

import { Buyer, joinQueue, lostSocket } from './lib/buyer.js';
import { payloads } from './lib/contract.js';
import { envDurationMs, k6Duration, refuseRetired } from './lib/duration.js';
import { BASE_URL, ensureEvent, signUp } from './lib/http-api.js';
import * as outcome from './lib/outcome.js';
import { randomIntBetween, uuidv4 } from './lib/random.js';
import { delay } from './lib/socketio.js';
import { observerThresholds, report, stat } from './lib/summary.js';

refuseRetired(__ENV, { PACE_MS: 'PACE' });
const PACE_MS = envDurationMs(__ENV, 'PACE', '2s');
const SIGNUP_ABORT_AFTER_MS = envDurationMs(__ENV, 'SIGNUP_ABORT_AFTER', '20s');
const DURATION_MS = envDurationMs(__ENV, 'DURATION', '1h');
const ADMISSION_WAIT_MS = 60000;
/** Sign-up attempts per VU before it gives up (each refusal backs off longer). */
const SIGNUP_ATTEMPTS = 8;

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    steady: {
      executor: 'per-vu-iterations',
      vus: Number(__ENV.VUS || 300),
      iterations: 1,
      maxDuration: k6Duration(DURATION_MS + 120000),
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
  thresholds: {
    'evently_ack_ms{command:seats_hold,work:real}': ['p(95)<50', 'p(99)<100'],
    'evently_ack_ms{command:hold_release,work:real}': ['p(95)<50', 'p(99)<100'],
    'evently_ack_ms{work:real}': ['p(95)<100', 'p(99)<250'],
    'evently_ack_ms{command:me_state,work:real}': ['p(95)<250'],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
    evently_connect_timeouts: ['count==0'],
    evently_reconnect_failures: ['count==0'],
    evently_pow_rejected: ['count==0'],
    evently_signup_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: k6Duration(SIGNUP_ABORT_AFTER_MS) }],
    evently_holds: ['count>0'],
    ...observerThresholds(),
  },
};

export function setup() {
  outcome.seedOutcome();
  return ensureEvent();
}

/** @param {{ eventId: string }} sale */
export default async function (sale) {
  let session = null;
  for (let attempt = 0; !session && attempt < SIGNUP_ATTEMPTS; attempt++) {
    const signup = signUp();
    session = signup.session;
    if (!session) await delay(signup.backoffMs); // counted; this VU backs off
  }
  if (!session) return;
  /** @type {Buyer | undefined} */
  let buyer;
  for (let attempt = 1; !buyer && attempt <= 3; attempt++) {
    try {
      buyer = await Buyer.open(BASE_URL, session);
    } catch {
      await delay(1000 * attempt); // counted by connectSocketIo; the VU tries again
    }
  }
  if (!buyer) return;
  const until = Date.now() + DURATION_MS;
  try {
    await buyer.queue.emit('seats:subscribe', payloads.subscribeCompact(sale.eventId));
    while (Date.now() < until) {
      await delay(randomIntBetween(PACE_MS / 2, (PACE_MS * 3) / 2));
      if (buyer.lost() && !(await carryOn(buyer, sale.eventId))) return;
      await round(buyer, sale.eventId);
    }
  } finally {
    buyer.close();
  }
}

/**
 * After a lost socket: reconnect, `me:state`, release what the user still holds (the soak keeps
 * inventory), subscribe again. False when the buyer could not get back.
 * @param {Buyer} buyer @param {string} eventId
 */
async function carryOn(buyer, eventId) {
  const step = await buyer.resume(eventId);
  if (!step) return false;
  if (step.step === 'pay') await buyer.seats().emit('hold:release', payloads.release(step.hold.holdId));
  await buyer.queue.emit('seats:subscribe', payloads.subscribeCompact(eventId));
  return true;
}

/** One loop of the soak. @param {Buyer} buyer @param {string} eventId */
async function round(buyer, eventId) {
  const client = buyer.queue;
  const admittedPush = client.waitFor('queue:admitted', ADMISSION_WAIT_MS, (p) => p.eventId === eventId);
  const join = await joinQueue(client, eventId);
  // Admitted at once or refused: stop waiting for the push (its timer and listener go now).
  if (!join.ok || join.data.state === 'admitted') admittedPush.cancel();
  if (!join.ok) return;
  const admitted = join.data.state === 'admitted' ? join.data : await admittedPush;
  if (!admitted) return;
  outcome.admissions.add(1);
  if (!(await buyer.enterShop(admitted))) return;
  const shop = buyer.seats();
  const hold = await shop.emit(
    'seats:hold',
    payloads.holdBestAvailable({
      eventId,
      admissionToken: admitted.admissionToken,
      idempotencyKey: uuidv4(),
      quantity: randomIntBetween(1, 2),
    }),
  );
  if (lostSocket(hold)) return;
  if (hold.ok) {
    outcome.holds.add(1);
    outcome.seatsHeld.add(hold.data.seats.length);
  }
  if (hold.ok && Math.random() < 0.1) {
    const booking = await shop.emit('hold:confirm', payloads.confirm(hold.data.holdId, uuidv4()));
    if (booking.ok) {
      outcome.bookings.add(1);
      outcome.seatsConfirmed.add(booking.data.seats.length);
      await shop.emit('booking:cancel', payloads.cancelBooking(booking.data.bookingId));
    }
  } else if (hold.ok) {
    await shop.emit('hold:release', payloads.release(hold.data.holdId));
  }
  await shop.emit('booking:list', payloads.bookingList());
  await client.emit('queue:leave', payloads.eventOnly(eventId));
}

/** @param {import('./lib/summary.js').SummaryData} data */
export function handleSummary(data) {
  return report(
    data,
    {
      script: 'soak',
      checks: [
        { metric: 'evently_signups', stat: 'count', atLeast: 1, why: 'no buyer could sign up' },
        { metric: 'evently_holds', stat: 'count', atLeast: 1, why: 'no seat was held: the soak did not run' },
      ],
      lines: (m) => [
        `sign-ups ${stat(m, 'evently_signups', 'count')} (refused ${stat(m, 'evently_signup_failures', 'count')}), admissions ${stat(m, 'evently_admissions', 'count')}`,
        `holds ${stat(m, 'evently_holds', 'count')} (${stat(m, 'evently_seats_held', 'count')} seats); confirmed then cancelled ${stat(m, 'evently_bookings', 'count')} bookings (${stat(m, 'evently_seats_confirmed', 'count')} seats)`,
      ],
    },
    __ENV.SUMMARY_JSON,
  );
}
