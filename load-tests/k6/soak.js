// Soak: steady traffic for a long period. Each VU keeps one socket and one seat-map subscription
// for the whole run and loops: queue, hold 1–2 seats, mostly release, sometimes confirm then
// cancel (so inventory never runs out), list bookings. Watch memory and latency stay flat.
//   k6 run -e BASE_URL=… -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… -e DURATION=2h load-tests/k6/soak.js
// Env: BASE_URL, EVENT_ID (else created), VUS (default 300), DURATION (default 1h), PACE_MS (default 2000).

import { payloads } from './lib/contract.js';
import { parseDurationMs } from './lib/duration.js';
import { BASE_URL, ensureEvent, registerBuyer } from './lib/http-api.js';
import { randomIntBetween, uuidv4 } from './lib/random.js';
import { connectSocketIo, delay } from './lib/socketio.js';

const PACE_MS = Number(__ENV.PACE_MS || 2000);
const DURATION_MS = parseDurationMs(__ENV.DURATION || '1h');

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    steady: {
      executor: 'per-vu-iterations',
      vus: Number(__ENV.VUS || 300),
      iterations: 1,
      maxDuration: `${DURATION_MS / 1000 + 120}s`,
    },
  },
  thresholds: {
    'evently_ack_ms{command:seats_hold}': ['p(95)<50', 'p(99)<100'],
    'evently_ack_ms{command:hold_release}': ['p(95)<50', 'p(99)<100'],
    evently_ack_ms: ['p(95)<100', 'p(99)<250'],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
  },
};

export function setup() {
  return ensureEvent();
}

/** @param {{ eventId: string }} sale */
export default async function (sale) {
  const session = registerBuyer();
  const client = await connectSocketIo(BASE_URL, { token: session.accessToken });
  const until = Date.now() + DURATION_MS;
  await client.emit('seats:subscribe', payloads.subscribeCompact(sale.eventId));
  while (Date.now() < until) {
    await delay(randomIntBetween(PACE_MS / 2, (PACE_MS * 3) / 2));
    const admittedPush = client.waitFor('queue:admitted', 60000);
    const join = await client.emit('queue:join', payloads.eventOnly(sale.eventId));
    // Admitted at once or refused: stop waiting for the push (its timer and listener go now).
    if (!join.ok || join.data.state === 'admitted') admittedPush.cancel();
    if (!join.ok) continue;
    const admitted = join.data.state === 'admitted' ? join.data : await admittedPush;
    if (!admitted) continue;
    const hold = await client.emit(
      'seats:hold',
      payloads.holdBestAvailable({
        eventId: sale.eventId,
        admissionToken: admitted.admissionToken,
        idempotencyKey: uuidv4(),
        quantity: randomIntBetween(1, 2),
      }),
    );
    if (hold.ok && Math.random() < 0.1) {
      const booking = await client.emit('hold:confirm', payloads.confirm(hold.data.holdId, uuidv4()));
      if (booking.ok) await client.emit('booking:cancel', payloads.cancelBooking(booking.data.bookingId));
    } else if (hold.ok) {
      await client.emit('hold:release', payloads.release(hold.data.holdId));
    }
    await client.emit('booking:list', payloads.bookingList());
    await client.emit('queue:leave', payloads.eventOnly(sale.eventId));
  }
  client.close();
}
