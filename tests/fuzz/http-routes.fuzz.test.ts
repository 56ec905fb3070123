import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes } from '../../core/contract/error-codes.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { hostileString, hostileValue } from '../support/hostile-values.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { stateFingerprint } from '../support/state-fingerprint.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { FUZZ_LIMITS, FUZZ_RUNS } from './fuzz-settings.js';

const GATEWAY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../gateway');

/** Every route the gateway registers, read from its source so a new route is fuzzed the day it lands. */
function discoverRoutes(): { method: string; pattern: string }[] {
  const files = readdirSync(GATEWAY, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const routes = new Map<string, { method: string; pattern: string }>();
  for (const f of files) {
    const text = readFileSync(path.join(GATEWAY, f), 'utf8');
    for (const m of text.matchAll(/router\.(get|post|patch|delete)\(\s*'([^']+)'/g)) {
      const method = (m[1] as string).toUpperCase();
      routes.set(`${method} ${m[2]}`, { method, pattern: m[2] as string });
    }
  }
  return [...routes.values()].sort((a, b) => `${a.method} ${a.pattern}`.localeCompare(`${b.method} ${b.pattern}`));
}
const routes = discoverRoutes();

let t: TestEnv;
let gw: StartedProcess;
let tokens: { admin: string; user: string };
let known: string[] = [];
let before: unknown;
let cases = 0;

beforeAll(async () => {
  t = await createTestEnv(FUZZ_LIMITS);
  gw = await startGatewayProcess(t.env);
  const admin = await loginAdmin(gw.url);
  const user = await registerUser(gw.url);
  const event = await createTestEvent(gw.url, admin.accessToken, {
    admission: OPEN_ADMISSION,
    sections: [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 4 }],
  });
  const seat = (await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 LIMIT 1', [event.id]))[0];
  tokens = { admin: admin.accessToken, user: user.accessToken };
  known = [event.id, seat?.id as string, user.user.id, admin.user.id, user.user.email, user.refreshToken];
  before = await stateFingerprint(t.databaseUrl);
});

afterAll(() => {
  process.stdout.write(`http fuzz: ${cases} cases over ${routes.length} routes\n`);
});

/** A path segment: a real id, garbage, or broken percent-encoding sent as is. */
const segment = fc.oneof(
  hostileString(['']).map((s) => {
    try {
      return encodeURIComponent(s);
    } catch {
      return '%ED%A0%80'; // a lone surrogate cannot be encoded: send its broken UTF-8 instead
    }
  }),
  fc.constantFrom('%E0%A4%A', '%', '%zz', '%C0%80', '%ED%A0%80', '..', '%2e%2e', '%2F', '%00'),
);

const mutating = new Set(['POST', 'PATCH', 'DELETE']);
/**
 * Answers that change something and are fine to get for a random request: idempotent no-ops, and
 * a signed-in user joining (or leaving) the on-sale event's waiting room, which any user may do
 * with an empty body (it changes Redis, never the data fingerprinted below).
 */
const harmlessSuccess = new Set([
  'POST /api/auth/logout',
  'POST /api/events/:id/queue',
  'DELETE /api/events/:id/queue',
  'DELETE /api/events/:id/waitlist',
  // A signed-in user asking for their own verification mail (rate limited; changes no seat, hold or account).
  'POST /api/auth/verify-email/request',
]);

function requestFor(route: { method: string; pattern: string }) {
  const parts = route.pattern.split('/');
  const params = parts.filter((p) => p.startsWith(':') || p === '*');
  return fc.record({
    params: fc.tuple(...params.map(() => fc.oneof(segment, fc.constantFrom(...known.slice(0, 4))))),
    query: fc.oneof(
      fc.constant(''),
      fc
        .dictionary(hostileString(['limit', 'cursor', 'q', 'from', 'to', 'eventId', 'role']), hostileString(known), {
          maxKeys: 4,
        })
        .map((q) => `?${new URLSearchParams(q as Record<string, string>)}`),
      fc.constantFrom('?limit=%E0%A4%A', '?%%', '?a=1&a=2&a=3', '?cursor=' + 'z'.repeat(3000)),
    ),
    body: fc.oneof(
      fc.constant(undefined),
      hostileValue(known).map((v) => ({ json: v })),
      fc.string({ maxLength: 200 }).map((raw) => ({ raw })),
    ),
    contentType: fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-16', ''),
    // Admin tokens only on reads: an admin's valid request may change things, which is no bug.
    auth: fc.constantFrom(...(mutating.has(route.method) ? ['none', 'garbage', 'user'] : ['none', 'garbage', 'user', 'admin'])),
    extraHeaders: fc.record(
      {
        'x-forwarded-for': hostileString(),
        'if-none-match': hostileString(),
        origin: hostileString(),
        'x-request-id': hostileString(),
        // The booking routes want one on holds and confirms: hostile ones reach their validation.
        'idempotency-key': hostileString(known),
      },
      { requiredKeys: [] },
    ),
  });
}

function pathFor(pattern: string, values: string[]): string {
  let i = 0;
  return pattern
    .split('/')
    .map((p) => (p.startsWith(':') || p === '*' ? (values[i++] as string) : p))
    .join('/');
}

describe('HTTP routes under hostile requests', () => {
  it('finds the routes to fuzz', () => {
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.map((r) => `${r.method} ${r.pattern}`)).toContain('GET /api/events/:id');
  });

  it.each(routes.map((r) => [`${r.method} ${r.pattern}`, r] as const))('%s: never a 5xx, never a crash', async (_name, route) => {
    await fc.assert(
      fc.asyncProperty(requestFor(route), async (r) => {
        cases += 1;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(r.extraHeaders)) if (/^[\t\x20-\x7e]*$/.test(v as string)) headers[k] = v as string;
        if (r.contentType) headers['content-type'] = r.contentType;
        if (r.auth === 'garbage') headers.authorization = 'Bearer garbage.token.here';
        const token = r.auth === 'user' ? tokens.user : r.auth === 'admin' ? tokens.admin : undefined;
        // fetch cannot send a body with GET; every other method gets the hostile one.
        const body =
          r.body === undefined || route.method === 'GET'
            ? {}
            : 'raw' in r.body
              ? { raw: r.body.raw }
              : { raw: JSON.stringify(r.body.json) ?? 'null' };
        const target = pathFor(route.pattern, r.params as string[]) + r.query;
        const res = await http(gw.url, route.method, target, { ...body, token, headers });
        const where = `${route.method} ${target.slice(0, 200)} -> ${res.status} ${JSON.stringify(res.body)?.slice(0, 300)}`;
        expect(res.status, where).toBeLessThan(500);
        const error = (res.body as { error?: { code?: string } } | undefined)?.error;
        if (error) expect(errorCodes, where).toContain(error.code);
        if (mutating.has(route.method) && !harmlessSuccess.has(`${route.method} ${route.pattern}`)) {
          expect(res.status >= 200 && res.status < 300, `a random request was accepted: ${where}`).toBe(false);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('leaves the gateway serving and the data as it was', async () => {
    expect(gw.child.exitCode).toBeNull();
    expect((await http(gw.url, 'GET', '/health')).status).toBe(200);
    expect(await stateFingerprint(t.databaseUrl)).toEqual(before);
  });
});
