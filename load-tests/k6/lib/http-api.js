// The HTTP half of the protocol the scenarios need: sign-up/login, creating the sale's event.
import http from 'k6/http';

export const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';

/**
 * @param {string} path
 * @param {unknown} body
 * @param {string} [token]
 */
export function postJson(path, body, token) {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = http.post(`${BASE_URL}${path}`, JSON.stringify(body), { headers, tags: { name: path } });
  if (res.status >= 300) throw new Error(`POST ${path}: ${res.status} ${res.body}`);
  return /** @type {any} */ (res.json());
}

/** @param {string} email @param {string} password @returns {string} access token */
export function login(email, password) {
  return postJson('/api/auth/login', { email, password }).accessToken;
}

/** A fresh buyer account (one argon2 hash on the server: part of what a real rush costs). */
export function registerBuyer() {
  const email = `k6-${__VU}-${__ITER}-${Date.now()}-${Math.floor(Math.random() * 1e9)}@load.evently.test`;
  return postJson('/api/auth/register', { email, password: 'load-test-password', name: `k6 ${__VU}` });
}

/**
 * EVENT_ID when given, else a new on-sale event (needs ADMIN_EMAIL / ADMIN_PASSWORD).
 * @returns {{ eventId: string, sections: string[] }}
 */
export function ensureEvent() {
  if (__ENV.EVENT_ID) {
    const res = http.get(`${BASE_URL}/api/events/${__ENV.EVENT_ID}`);
    const event = /** @type {any} */ (res.json());
    return { eventId: __ENV.EVENT_ID, sections: event.sections.map((/** @type {any} */ s) => s.name) };
  }
  const admin = login(__ENV.ADMIN_EMAIL || '', __ENV.ADMIN_PASSWORD || '');
  const seats = Number(__ENV.SEATS || 2000);
  const rows = Math.max(1, Math.ceil(seats / 4 / 25));
  const sections = ['A', 'B', 'C', 'D'].map((name, i) => ({ name, priceCents: 5000 + 2500 * i, rows, seatsPerRow: 25 }));
  const event = postJson(
    '/api/admin/events',
    {
      name: `k6 flash sale ${new Date().toISOString()}`,
      venue: 'Load Test Arena',
      startsAt: new Date(Date.now() + 7 * 86400000).toISOString(),
      sections,
      admission: {
        maxActive: Number(__ENV.MAX_ACTIVE || 500),
        admitPerTick: Number(__ENV.ADMIT_PER_TICK || 100),
        tickMs: Number(__ENV.TICK_MS || 250),
        sessionTtlSeconds: Number(__ENV.SESSION_TTL || 600),
      },
    },
    admin,
  );
  return { eventId: event.id, sections: sections.map((s) => s.name) };
}
