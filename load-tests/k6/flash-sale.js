// Flash sale: many buyers sign up, connect, watch availability while they queue (as a waiting page
// does; paying the proof of work when the door asks), follow the admission to its shop (shopUrl)
// when it names one, take the compact seat state, hold 1–4 seats, confirm most and release some,
// and join the waitlist when nothing is left. A lost socket reconnects and carries on from
// `me:state`. After a VU has seen the sale sold out it stops signing up new buyers while nothing is
// available (it checks over HTTP and waits). Every iteration ends (sockets, timers, listeners go).
//   k6 run -e BASE_URL=http://gateway:3000 -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… load-tests/k6/flash-sale.js
// Env: BASE_URL, EVENT_ID (else an event is created: SEATS, MAX_ACTIVE, ADMIT_PER_TICK, TICK_MS,
//      SESSION_TTL, CHALLENGE=1), VUS (1000), RAMP (30s), HOLD (2m), CONFIRM_RATE (0.85),
//      ADMISSION_WAIT (2m), OFFER_WAIT (1m), CONNECT_TIMEOUT (10s), SUMMARY_JSON (a file for the
//      summary as JSON). Durations are k6 durations (90s, 1m30s, 1h30m), checked at init.

import { Buyer, joinQueue, lostSocket } from './lib/buyer.js';
import { payloads } from './lib/contract.js';
import { envDurationMs, k6Duration, refuseRetired } from './lib/duration.js';
import { BASE_URL, ensureEvent, seatsAvailable, signUp } from './lib/http-api.js';
import * as outcome from './lib/outcome.js';
import { randomIntBetween, uuidv4 } from './lib/random.js';
import { delay } from './lib/socketio.js';
import { observerThresholds, report, stat } from './lib/summary.js';

refuseRetired(__ENV, { OFFER_WAIT_MS: 'OFFER_WAIT' });
const SIGNUP_ABORT_AFTER_MS = envDurationMs(__ENV, 'SIGNUP_ABORT_AFTER', '20s');
const VUS = Number(__ENV.VUS || 1000);
const CONFIRM_RATE = Number(__ENV.CONFIRM_RATE || 0.85);
const RAMP_MS = envDurationMs(__ENV, 'RAMP', '30s');
const HOLD_MS = envDurationMs(__ENV, 'HOLD', '2m');
const ADMISSION_WAIT_MS = envDurationMs(__ENV, 'ADMISSION_WAIT', '2m');
const OFFER_WAIT_MS = envDurationMs(__ENV, 'OFFER_WAIT', '1m');
const MAX_RECONNECTS = 3;
/** How long a VU that saw the sale sold out waits before it looks at availability again. */
const SOLD_OUT_PAUSE_MS = 5000;

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    rush: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: k6Duration(RAMP_MS), target: VUS },
        { duration: k6Duration(HOLD_MS), target: VUS },
        { duration: '10s', target: 0 },
      ],
      // Long enough for the longest wait an iteration has (admission, then a waitlist offer), so
      // k6 does not interrupt iterations that are waiting as they were told to.
      gracefulRampDown: k6Duration(ADMISSION_WAIT_MS + OFFER_WAIT_MS + 30000),
    },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
  thresholds: {
    // Latency of real work only (`work:real`): a queue:join bounced off a sold-out door or asking
    // for proof of work is a trivial ack and is not judged with the joins that queue.
    'evently_ack_ms{command:seats_hold,work:real}': ['p(95)<50', 'p(99)<100'],
    'evently_ack_ms{command:hold_confirm,work:real}': ['p(95)<100', 'p(99)<250'],
    'evently_ack_ms{command:queue_join,work:real}': ['p(95)<100', 'p(99)<250'],
    'evently_ack_ms{work:real}': ['p(95)<250', 'p(99)<500'],
    'evently_ack_ms{command:me_state,work:real}': ['p(95)<250'],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
    evently_connect_timeouts: ['count==0'],
    evently_reconnect_failures: ['count==0'],
    evently_pow_rejected: ['count==0'],
    // A run whose sign-ups fail is not a load test of the sale: it stops (REGISTER_MAX_PER_ADDRESS,
    // PASSWORD_WORK_QUEUE on the target).
    evently_signup_failed: [{ threshold: 'rate<0.05', abortOnFail: true, delayAbortEval: k6Duration(SIGNUP_ABORT_AFTER_MS) }],
    // The sale happened: something was confirmed (seeded with 0 in setup, so k6 judges it).
    evently_seats_confirmed: ['count>0'],
    ...observerThresholds(),
  },
};

export function setup() {
  outcome.seedOutcome();
  return ensureEvent();
}

/** @typedef {{ eventId: string, sections: string[], startedAt: number }} Sale */

let soldOutSeen = false;

/** @param {Sale} sale */
function noteSoldOut(sale) {
  if (soldOutSeen) return;
  soldOutSeen = true;
  outcome.soldOutAfter.add(Date.now() - sale.startedAt);
}

/** @param {Sale} sale */
export default async function (sale) {
  if (soldOutSeen) {
    // This VU saw the sale sold out: no new sign-ups bouncing off the door while nothing is left.
    const available = seatsAvailable(sale.eventId);
    if (available === 0) return delay(SOLD_OUT_PAUSE_MS);
  }
  const { session, backoffMs } = signUp();
  if (!session) return delay(backoffMs); // counted; this VU backs off
  let buyer;
  try {
    buyer = await Buyer.open(BASE_URL, session);
  } catch {
    return; // counted by connectSocketIo
  }
  try {
    /** @type {Step | null} */
    let step = { step: 'join' };
    let reconnectsLeft = MAX_RECONNECTS;
    for (let guard = 0; step && guard < 20; guard++) {
      step = await run(buyer, sale, step);
      if (step === LOST && reconnectsLeft-- > 0) step = await buyer.resume(sale.eventId);
      else if (step === LOST) step = null;
    }
  } finally {
    buyer.close();
  }
}

/** @typedef {import('./lib/resume.js').Step | { step: 'lost' } | { step: 'waitlist', quantity: number }} Step */
/** @type {Step} */
const LOST = { step: 'lost' };

/** An admission (counted once: a buyer resuming with its admission is not admitted again).
 * @param {import('./lib/resume.js').Admission} admission @returns {Step} */
function admittedTo(admission) {
  outcome.admissions.add(1);
  return { step: 'shop', admission };
}

/** No admission within ADMISSION_WAIT: counted and done, or LOST when the socket went away.
 * @param {import('./lib/socketio.js').SocketIoClient} client @returns {Step | null} */
function gaveUpWaiting(client) {
  if (!client.connected()) return LOST;
  outcome.admissionTimeouts.add(1);
  return null;
}

/**
 * One step of a buyer; the next step, LOST when a socket went away, null when done.
 * @param {Buyer} buyer @param {Sale} sale @param {Step} step @returns {Promise<Step | null>}
 */
async function run(buyer, sale, step) {
  const eventId = sale.eventId;
  switch (step.step) {
    case 'join': {
      const client = buyer.queue;
      await client.emit('availability:subscribe', payloads.eventOnly(eventId));
      const admittedPush = client.waitFor('queue:admitted', ADMISSION_WAIT_MS, (p) => p.eventId === eventId);
      const join = await joinQueue(client, eventId);
      if (!join.ok || join.data.state === 'admitted') admittedPush.cancel();
      if (lostSocket(join)) return LOST;
      if (!join.ok && join.error?.code === 'SOLD_OUT') {
        noteSoldOut(sale);
        return { step: 'waitlist', quantity: randomIntBetween(1, 4) };
      }
      if (!join.ok) return null;
      const admitted = join.data.state === 'admitted' ? join.data : await admittedPush;
      return admitted ? admittedTo(admitted) : gaveUpWaiting(client);
    }
    case 'wait-admission': {
      const admitted = await buyer.queue.waitFor('queue:admitted', ADMISSION_WAIT_MS, (p) => p.eventId === eventId);
      return admitted ? admittedTo(admitted) : gaveUpWaiting(buyer.queue);
    }
    case 'shop': {
      // The buyer's page: the static layout comes over HTTP (cacheable), the live state compact,
      // at the shop the admission names (a queue tier and a shop tier) or here.
      await buyer.queue.emit('availability:unsubscribe', payloads.eventOnly(eventId));
      if (!(await buyer.enterShop(step.admission))) return null;
      const shop = buyer.seats();
      await shop.emit('seats:subscribe', payloads.subscribeCompact(eventId));
      const quantity = randomIntBetween(1, 4);
      const hold = await shop.emit(
        'seats:hold',
        payloads.holdBestAvailable({
          eventId,
          admissionToken: step.admission.admissionToken,
          idempotencyKey: uuidv4(),
          quantity,
          section: Math.random() < 0.3 ? sale.sections[randomIntBetween(0, sale.sections.length - 1)] : undefined,
        }),
      );
      if (lostSocket(hold)) return LOST;
      if (hold.ok) {
        outcome.holds.add(1);
        outcome.seatsHeld.add(hold.data.seats.length);
        return { step: 'pay', hold: hold.data };
      }
      if (hold.error?.code === 'SOLD_OUT') noteSoldOut(sale);
      await buyer.queue.emit('queue:leave', payloads.eventOnly(eventId));
      return { step: 'waitlist', quantity };
    }
    case 'pay': {
      const shop = buyer.seats();
      await delay(randomIntBetween(100, 1000));
      // A waitlist offer is what the buyer asked for: always taken.
      if (step.hold.origin === 'waitlist' || Math.random() < CONFIRM_RATE) {
        const booking = await shop.emit('hold:confirm', payloads.confirm(step.hold.holdId, uuidv4()));
        if (lostSocket(booking)) return LOST;
        if (booking.ok) {
          outcome.bookings.add(1);
          outcome.seatsConfirmed.add(booking.data.seats.length);
        }
      } else {
        const released = await shop.emit('hold:release', payloads.release(step.hold.holdId));
        if (lostSocket(released)) return LOST;
      }
      await buyer.queue.emit('queue:leave', payloads.eventOnly(eventId));
      return null;
    }
    case 'waitlist': {
      const client = buyer.queue;
      const offerPush = client.waitFor('waitlist:offer', OFFER_WAIT_MS, (p) => p.eventId === eventId);
      const wl = await client.emit('waitlist:join', payloads.waitlistJoin(eventId, step.quantity));
      if (lostSocket(wl)) return LOST;
      if (!wl.ok) {
        offerPush.cancel();
        return null;
      }
      const offer = await offerPush;
      if (!offer) return client.connected() ? null : LOST;
      outcome.waitlistOffers.add(1);
      return { step: 'pay', hold: { ...offer, origin: 'waitlist' } };
    }
    case 'wait-offer': {
      const offer = await buyer.queue.waitFor('waitlist:offer', OFFER_WAIT_MS, (p) => p.eventId === eventId);
      if (!offer) return buyer.queue.connected() ? null : LOST;
      outcome.waitlistOffers.add(1);
      return { step: 'pay', hold: { ...offer, origin: 'waitlist' } };
    }
    default:
      return null;
  }
}

/** @param {import('./lib/summary.js').SummaryData} data */
export function handleSummary(data) {
  return report(
    data,
    {
      script: 'flash-sale',
      checks: [
        { metric: 'evently_signups', stat: 'count', atLeast: 1, why: 'no buyer could sign up' },
        { metric: 'evently_admissions', stat: 'count', atLeast: 1, why: 'nobody was admitted' },
        { metric: 'evently_seats_confirmed', stat: 'count', atLeast: 1, why: 'no seat was confirmed: the sale did not happen' },
      ],
      lines: (m) => {
        const soldOut = m.evently_sold_out_after_ms?.values?.count
          ? `${(stat(m, 'evently_sold_out_after_ms', 'min') / 1000).toFixed(1)} s after the start`
          : 'not in this run';
        return [
          `sign-ups ${stat(m, 'evently_signups', 'count')} (refused ${stat(m, 'evently_signup_failures', 'count')}), admitted ${stat(m, 'evently_admissions', 'count')} (gave up waiting ${stat(m, 'evently_admission_timeouts', 'count')}), shop switches ${stat(m, 'evently_shop_switches', 'count')}`,
          `seats held ${stat(m, 'evently_seats_held', 'count')} in ${stat(m, 'evently_holds', 'count')} holds; seats sold (confirmed) ${stat(m, 'evently_seats_confirmed', 'count')} in ${stat(m, 'evently_bookings', 'count')} bookings; waitlist offers ${stat(m, 'evently_waitlist_offers', 'count')}`,
          `sold out: ${soldOut}`,
          `proof of work: solved ${stat(m, 'evently_pow_solved', 'count')}, refused ${stat(m, 'evently_pow_rejected', 'count')}`,
        ];
      },
    },
    __ENV.SUMMARY_JSON,
  );
}
