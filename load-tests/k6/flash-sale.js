// Flash sale: many buyers connect, watch availability while they queue (as a waiting page does),
// take the compact seat state once admitted, hold 1–4 seats, confirm most and release some, and
// join the waitlist when nothing is left. Every iteration ends (its socket, timers and listeners go).
//   k6 run -e BASE_URL=http://gateway:3000 -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… load-tests/k6/flash-sale.js
// Env: BASE_URL, EVENT_ID (else an event is created: SEATS, MAX_ACTIVE, ADMIT_PER_TICK, TICK_MS),
//      VUS (default 1000), RAMP (default 30s), HOLD (default 2m), CONFIRM_RATE (default 0.85).

import { payloads } from './lib/contract.js';
import { BASE_URL, ensureEvent, registerBuyer } from './lib/http-api.js';
import { randomIntBetween, uuidv4 } from './lib/random.js';
import { connectSocketIo, delay } from './lib/socketio.js';

const VUS = Number(__ENV.VUS || 1000);
const CONFIRM_RATE = Number(__ENV.CONFIRM_RATE || 0.85);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    rush: {
      executor: 'ramping-vus',
      startVUs: 0,
      stages: [
        { duration: __ENV.RAMP || '30s', target: VUS },
        { duration: __ENV.HOLD || '2m', target: VUS },
        { duration: '10s', target: 0 },
      ],
      gracefulRampDown: '30s',
    },
  },
  thresholds: {
    'evently_ack_ms{command:seats_hold}': ['p(95)<50', 'p(99)<100'],
    'evently_ack_ms{command:hold_confirm}': ['p(95)<100', 'p(99)<250'],
    'evently_ack_ms{command:queue_join}': ['p(95)<100', 'p(99)<250'],
    evently_ack_ms: ['p(95)<250', 'p(99)<500'],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
  },
};

export function setup() {
  return ensureEvent();
}

/** @param {{ eventId: string, sections: string[] }} sale */
export default async function (sale) {
  const session = registerBuyer();
  const client = await connectSocketIo(BASE_URL, { token: session.accessToken });
  try {
    await client.emit('availability:subscribe', payloads.eventOnly(sale.eventId));
    const admittedPush = client.waitFor('queue:admitted', 300000);
    const join = await client.emit('queue:join', payloads.eventOnly(sale.eventId));
    if (!join.ok || join.data.state === 'admitted') admittedPush.cancel();
    if (!join.ok) return;
    const admitted = join.data.state === 'admitted' ? join.data : await admittedPush;
    if (!admitted) return;
    // The buyer's page: the static layout comes over HTTP (cacheable), the live state compact.
    await client.emit('availability:unsubscribe', payloads.eventOnly(sale.eventId));
    await client.emit('seats:subscribe', payloads.subscribeCompact(sale.eventId));
    const quantity = randomIntBetween(1, 4);
    const hold = await client.emit(
      'seats:hold',
      payloads.holdBestAvailable({
        eventId: sale.eventId,
        admissionToken: admitted.admissionToken,
        idempotencyKey: uuidv4(),
        quantity,
        section: Math.random() < 0.3 ? sale.sections[randomIntBetween(0, sale.sections.length - 1)] : undefined,
      }),
    );
    if (hold.ok) {
      await delay(randomIntBetween(100, 1000));
      if (Math.random() < CONFIRM_RATE) await client.emit('hold:confirm', payloads.confirm(hold.data.holdId, uuidv4()));
      else await client.emit('hold:release', payloads.release(hold.data.holdId));
      await client.emit('queue:leave', payloads.eventOnly(sale.eventId));
      return;
    }
    await client.emit('queue:leave', payloads.eventOnly(sale.eventId));
    const offerPush = client.waitFor('waitlist:offer', Number(__ENV.OFFER_WAIT_MS || 60000));
    const wl = await client.emit('waitlist:join', payloads.waitlistJoin(sale.eventId, quantity));
    if (!wl.ok) return offerPush.cancel();
    const offer = await offerPush;
    if (offer) await client.emit('hold:confirm', payloads.confirm(offer.holdId, uuidv4()));
  } finally {
    client.close();
  }
}
