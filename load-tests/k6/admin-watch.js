// Admin dashboards during a sale: admins subscribe to live analytics (all events, or EVENT_ID)
// and measure how regularly `analytics:update` arrives and how fresh it is. Run it next to
// flash-sale.js:  k6 run -e BASE_URL=… -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… load-tests/k6/admin-watch.js
// Env: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, EVENT_ID (optional), ADMINS (default 10),
//      DURATION (default 3m, 500ms, 90s, 30m, 2h or seconds), INTERVAL_MS (the server's ANALYTICS_INTERVAL_MS, default 1000).
import { Trend } from 'k6/metrics';
import { payloads } from './lib/contract.js';
import { parseDurationMs } from './lib/duration.js';
import { BASE_URL, login } from './lib/http-api.js';
import { connectSocketIo, delay } from './lib/socketio.js';

const INTERVAL_MS = Number(__ENV.INTERVAL_MS || 1000);
const updateGap = new Trend('evently_analytics_gap_ms', true);
const updateAge = new Trend('evently_analytics_age_ms', true);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    dashboards: { executor: 'per-vu-iterations', vus: Number(__ENV.ADMINS || 10), iterations: 1, maxDuration: '2h' },
  },
  thresholds: {
    'evently_ack_ms{command:analytics_subscribe}': ['p(95)<250', 'p(99)<500'],
    evently_analytics_gap_ms: [`p(95)<${INTERVAL_MS * 2}`],
    evently_analytics_age_ms: [`p(95)<${INTERVAL_MS}`],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
  },
};

export function setup() {
  return { token: login(__ENV.ADMIN_EMAIL || '', __ENV.ADMIN_PASSWORD || '') };
}

/** @param {{ token: string }} data */
export default async function (data) {
  const client = await connectSocketIo(BASE_URL, { token: data.token, namespace: '/admin' });
  let last = 0;
  client.on('analytics:update', (/** @type {{ at: string }} */ u) => {
    const now = Date.now();
    if (last) updateGap.add(now - last);
    updateAge.add(Math.max(0, now - Date.parse(u.at)));
    last = now;
  });
  const snapshot = await client.emit('analytics:subscribe', payloads.analyticsSubscribe(__ENV.EVENT_ID));
  if (snapshot.ok) last = Date.now();
  await delay(parseDurationMs(__ENV.DURATION || '3m'));
  await client.emit('analytics:unsubscribe', payloads.analyticsSubscribe(__ENV.EVENT_ID));
  client.close();
}
