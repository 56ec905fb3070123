// Admin dashboards during a sale: admins subscribe to live analytics (all events, or EVENT_ID)
// and measure how regularly `analytics:update` arrives and how fresh it is. Run it next to
// flash-sale.js:  k6 run -e BASE_URL=… -e ADMIN_EMAIL=… -e ADMIN_PASSWORD=… load-tests/k6/admin-watch.js
// Admin accounts are pooled: at most ADMINS_PER_ACCOUNT (5) dashboards per account, so the
// per-user socket and command limits of the target are not what is measured. ADMIN_ACCOUNTS
// (`email:password,email:password`) names the pool; else setup signs up the extra accounts it
// needs and makes them admins with ADMIN_EMAIL's token (PATCH /api/admin/users/:id).
// Env: BASE_URL, ADMIN_EMAIL, ADMIN_PASSWORD, ADMIN_ACCOUNTS, ADMINS_PER_ACCOUNT (5), EVENT_ID
//      (optional), ADMINS (10), DURATION (3m), INTERVAL (the server's ANALYTICS_INTERVAL_MS, 1s),
//      CONNECT_TIMEOUT, SUMMARY_JSON. Durations are k6 durations (90s, 1m30s), checked at init.
import { Trend } from 'k6/metrics';
import { payloads } from './lib/contract.js';
import { envDurationMs, k6Duration, refuseRetired } from './lib/duration.js';
import { BASE_URL, login, setupRequest } from './lib/http-api.js';
import { analyticsUpdates, seedOutcome } from './lib/outcome.js';
import { connectSocketIo, delay } from './lib/socketio.js';
import { observerThresholds, report, stat } from './lib/summary.js';

refuseRetired(__ENV, { INTERVAL_MS: 'INTERVAL' });
const ADMINS = Number(__ENV.ADMINS || 10);
const PER_ACCOUNT = Math.max(1, Number(__ENV.ADMINS_PER_ACCOUNT || 5));
const INTERVAL_MS = envDurationMs(__ENV, 'INTERVAL', '1s');
const DURATION_MS = envDurationMs(__ENV, 'DURATION', '3m');
const updateGap = new Trend('evently_analytics_gap_ms', true);
const updateAge = new Trend('evently_analytics_age_ms', true);

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    dashboards: { executor: 'per-vu-iterations', vus: ADMINS, iterations: 1, maxDuration: k6Duration(DURATION_MS + 120000) },
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(95)', 'p(99)', 'count'],
  thresholds: {
    'evently_ack_ms{command:analytics_subscribe,work:real}': ['p(95)<250', 'p(99)<500'],
    evently_analytics_gap_ms: [`p(95)<${INTERVAL_MS * 2}`],
    evently_analytics_age_ms: [`p(95)<${INTERVAL_MS}`],
    evently_unexpected_errors: ['count==0'],
    evently_connect_errors: ['count==0'],
    evently_connect_timeouts: ['count==0'],
    // The dashboards were fed (seeded with 0 in setup, so k6 judges it).
    evently_analytics_updates: ['count>0'],
    ...observerThresholds(),
  },
};

/** @returns {{ tokens: string[] }} one access token per pooled admin account */
export function setup() {
  seedOutcome();
  const accounts = Math.ceil(ADMINS / PER_ACCOUNT);
  if (__ENV.ADMIN_ACCOUNTS) {
    const tokens = __ENV.ADMIN_ACCOUNTS.split(',').map((pair) => {
      const at = pair.indexOf(':');
      return login(pair.slice(0, at), pair.slice(at + 1));
    });
    if (tokens.length < accounts)
      throw new Error(`ADMIN_ACCOUNTS: ${ADMINS} admins need ${accounts} accounts, got ${tokens.length}`);
    return { tokens };
  }
  const main = login(__ENV.ADMIN_EMAIL || '', __ENV.ADMIN_PASSWORD || '');
  const tokens = [main];
  const run = `${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
  for (let i = 1; i < accounts; i++) {
    const email = `k6-admin-${run}-${i}@load.evently.test`;
    const password = `k6-admin-${run}-${Math.random()}`;
    const account = setupRequest('/api/auth/register', { email, password, name: `k6 admin ${i}` });
    setupRequest(`/api/admin/users/${account.user.id}`, { role: 'admin' }, main, 'PATCH');
    // A role change ends the account's sessions: log in again for an admin token.
    tokens.push(login(email, password));
  }
  return { tokens };
}

/** @param {{ tokens: string[] }} data */
export default async function (data) {
  const token = data.tokens[Math.floor((__VU - 1) / PER_ACCOUNT) % data.tokens.length];
  let client;
  try {
    client = await connectSocketIo(BASE_URL, { token, namespace: '/admin' });
  } catch {
    return; // counted by connectSocketIo
  }
  let last = 0;
  let updates = 0;
  client.on('analytics:update', (/** @type {{ at: string }} */ u) => {
    const now = Date.now();
    updates++;
    if (last) updateGap.add(now - last);
    updateAge.add(Math.max(0, now - Date.parse(u.at)));
    last = now;
  });
  const snapshot = await client.emit('analytics:subscribe', payloads.analyticsSubscribe(__ENV.EVENT_ID));
  if (snapshot.ok) last = Date.now();
  await delay(DURATION_MS);
  analyticsUpdates.add(updates);
  await client.emit('analytics:unsubscribe', payloads.analyticsSubscribe(__ENV.EVENT_ID));
  client.close();
}

/** @param {import('./lib/summary.js').SummaryData} data */
export function handleSummary(data) {
  return report(
    data,
    {
      script: 'admin-watch',
      checks: [{ metric: 'evently_analytics_updates', stat: 'count', atLeast: 1, why: 'no dashboard got an analytics update' }],
      lines: (m) => [
        `dashboards ${ADMINS} on ${Math.ceil(ADMINS / PER_ACCOUNT)} admin accounts; analytics updates ${stat(m, 'evently_analytics_updates', 'count')}`,
      ],
    },
    __ENV.SUMMARY_JSON,
  );
}
