// The HTTP half of the protocol the scenarios need: sign-up/login, refresh, creating the event.
// Sign-ups and setup requests refused with 429/503 (REGISTER_MAX_PER_ADDRESS, PASSWORD_WORK_QUEUE)
// are counted and backed off (Retry-After, else exponential with jitter), never hot-looped.
import { sleep } from 'k6';
import http from 'k6/http';
import { backoffDelayMs, retryHintMs } from './backoff.js';
import { setupRetries, signupFailed, signupFailures, signups } from './outcome.js';

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:3000').replace(/\/+$/, '');
const SETUP_ATTEMPTS = 5;

/** @typedef {{ accessToken: string, refreshToken: string, user: { id: string, email: string } }} Session */

/**
 * @param {string} path
 * @param {unknown} body
 * @param {string} [token]
 * @param {'POST' | 'PATCH'} [method]
 */
export function requestJson(path, body, token, method = 'POST') {
  /** @type {Record<string, string>} */
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  return http.request(method, `${BASE_URL}${path}`, JSON.stringify(body), { headers, tags: { name: path } });
}

/**
 * How long to wait before trying again (see backoff.js).
 * @param {import('k6/http').RefinedResponse<any>} res
 * @param {number} failures consecutive failures so far (1 for the first)
 */
export function backoffMs(res, failures) {
  const body = typeof res.body === 'string' ? res.body : null;
  return backoffDelayMs(retryHintMs(res.headers['Retry-After'], body), failures);
}

/** 2xx (a network error is status 0). @param {number} status */
const ok = (status) => status >= 200 && status < 300;
/** @param {number} status */
const retryable = (status) => status === 0 || status === 429 || status === 503;

/**
 * A setup request (login, creating the event): retried with back-off on 429/503 (counted), thrown
 * on anything else, so setup fails (k6 exits non-zero) rather than running a sale that is not there.
 * @param {string} path @param {unknown} body @param {string} [token] @param {'POST' | 'PATCH'} [method]
 */
export function setupRequest(path, body, token, method = 'POST') {
  for (let attempt = 1; ; attempt++) {
    const res = requestJson(path, body, token, method);
    if (ok(res.status)) return /** @type {any} */ (res.json());
    if (!retryable(res.status) || attempt >= SETUP_ATTEMPTS) {
      throw new Error(`${method} ${path}: ${res.status} ${res.body} (attempt ${attempt})`);
    }
    setupRetries.add(1, { status: String(res.status) });
    sleep(backoffMs(res, attempt) / 1000);
  }
}

/** @param {string} email @param {string} password @returns {string} access token */
export function login(email, password) {
  return setupRequest('/api/auth/login', { email, password }).accessToken;
}

let signupFailuresInARow = 0;

/**
 * A fresh buyer account (one argon2 hash on the server: part of what a real rush costs). When the
 * server refused it, `session` is null, the refusal is counted (evently_signup_failed, a
 * thresholded rate) and `backoffMs` says how long this VU waits before its next try (longer after
 * each refusal in a row): the caller waits it with `delay`, so the VU's sockets keep running.
 * @returns {{ session: Session | null, backoffMs: number }}
 */
export function signUp() {
  const email = `k6-${__VU}-${__ITER}-${Date.now()}-${Math.floor(Math.random() * 1e9)}@load.evently.test`;
  const res = requestJson('/api/auth/register', { email, password: 'load-test-password', name: `k6 ${__VU}` });
  if (ok(res.status)) {
    signupFailuresInARow = 0;
    signups.add(1);
    signupFailed.add(false);
    return { session: /** @type {any} */ (res.json()), backoffMs: 0 };
  }
  signupFailuresInARow++;
  signupFailed.add(true);
  signupFailures.add(1, { status: String(res.status) });
  return { session: null, backoffMs: backoffMs(res, signupFailuresInARow) };
}

/** A new token pair for a session (after a reconnect: access tokens are short-lived), or null.
 * @param {Session} session @returns {Session | null} */
export function refreshSession(session) {
  const res = requestJson('/api/auth/refresh', { refreshToken: session.refreshToken });
  if (!ok(res.status)) return null;
  const pair = /** @type {any} */ (res.json());
  return { ...session, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
}

/** Seats still for sale (available over HTTP, cacheable); null when the request failed.
 * @param {string} eventId */
export function seatsAvailable(eventId) {
  const res = http.get(`${BASE_URL}/api/events/${eventId}`, { tags: { name: '/api/events/:id' } });
  if (res.status !== 200) return null;
  const available = /** @type {any} */ (res.json())?.available;
  return typeof available === 'number' ? available : null;
}

/**
 * EVENT_ID when given, else a new on-sale event (needs ADMIN_EMAIL / ADMIN_PASSWORD).
 * CHALLENGE=1 creates it with the proof of work at the door.
 * @returns {{ eventId: string, sections: string[], startedAt: number }}
 */
export function ensureEvent() {
  if (__ENV.EVENT_ID) {
    const res = http.get(`${BASE_URL}/api/events/${__ENV.EVENT_ID}`);
    if (res.status !== 200) throw new Error(`GET /api/events/${__ENV.EVENT_ID}: ${res.status} ${res.body}`);
    const event = /** @type {any} */ (res.json());
    return { eventId: __ENV.EVENT_ID, sections: event.sections.map((/** @type {any} */ s) => s.name), startedAt: Date.now() };
  }
  const admin = login(__ENV.ADMIN_EMAIL || '', __ENV.ADMIN_PASSWORD || '');
  const seats = Number(__ENV.SEATS || 2000);
  const rows = Math.max(1, Math.ceil(seats / 4 / 25));
  const sections = ['A', 'B', 'C', 'D'].map((name, i) => ({ name, priceCents: 5000 + 2500 * i, rows, seatsPerRow: 25 }));
  /** @type {Record<string, unknown>} */
  const admission = {
    maxActive: Number(__ENV.MAX_ACTIVE || 500),
    admitPerTick: Number(__ENV.ADMIT_PER_TICK || 100),
    tickMs: Number(__ENV.TICK_MS || 250),
    sessionTtlSeconds: Number(__ENV.SESSION_TTL || 600),
  };
  if (__ENV.CHALLENGE === '1') admission.challenge = { required: true };
  const event = setupRequest(
    '/api/admin/events',
    {
      name: `k6 flash sale ${new Date().toISOString()}`,
      venue: 'Load Test Arena',
      startsAt: new Date(Date.now() + 7 * 86400000).toISOString(),
      sections,
      admission,
    },
    admin,
  );
  return { eventId: event.id, sections: sections.map((s) => s.name), startedAt: Date.now() };
}
