import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '../../core/auth/access-tokens.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let userToken: string;

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  userToken = (await registerUser(gw.url)).accessToken;
});

async function query<T = any>(sql: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: t.databaseUrl });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

const layout = {
  name: 'Arena Night',
  venue: 'Big Arena',
  startsAt: '2030-06-01T19:00:00.000Z',
  saleStartsAt: '2030-05-01T10:00:00.000Z',
  maxSeatsPerUser: 4,
  sections: [
    { name: 'Floor', priceCents: 9900, rows: 3, seatsPerRow: 4 },
    { name: 'Balcony', priceCents: 4900, rows: 2, seatsPerRow: 5 },
  ],
  admission: { maxActive: 10, admitPerTick: 2, tickMs: 500, sessionTtlSeconds: 120 },
};

describe('admin event CRUD and the catalog', () => {
  it('creates an event with every seat of its layout, readable in the catalog', async () => {
    const created = await http(gw.url, 'POST', '/api/admin/events', { body: layout, token: adminToken });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'Arena Night',
      capacity: 22,
      available: 22,
      status: 'scheduled',
      maxSeatsPerUser: 4,
      admission: layout.admission,
    });
    expect(created.body.sections.map((s: any) => [s.name, s.capacity, s.priceCents])).toEqual([
      ['Floor', 12, 9900],
      ['Balcony', 10, 4900],
    ]);
    const seats = await query('SELECT row, number FROM seats WHERE event_id = $1 ORDER BY row, number', [created.body.id]);
    expect(seats).toHaveLength(22);
    const audit = await query(`SELECT action FROM audit_log WHERE entity_id = $1`, [created.body.id]);
    expect(audit.map((a) => a.action)).toEqual(['event.created']);

    const list = await http(gw.url, 'GET', '/api/events');
    expect(list.status).toBe(200);
    expect(list.body.find((e: any) => e.id === created.body.id)).toMatchObject({
      name: 'Arena Night',
      capacity: 22,
      available: 22,
    });
    const detail = await http(gw.url, 'GET', `/api/events/${created.body.id}`);
    expect(detail.body).toEqual(created.body);
  });

  it('updates an event and refuses an update that breaks its rules', async () => {
    const ev = await createTestEvent(gw.url, adminToken);
    const ok = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, {
      body: { name: 'Renamed', admission: { maxActive: 3 } },
      token: adminToken,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.name).toBe('Renamed');
    expect(ok.body.admission.maxActive).toBe(3);
    expect(ok.body.admission.admitPerTick).toBe(ev.admission.admitPerTick);

    const saleAfterStart = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, {
      body: { saleStartsAt: '2099-01-01T00:00:00Z' },
      token: adminToken,
    });
    expect(saleAfterStart.status).toBe(400);
    expect(saleAfterStart.body.error.code).toBe('VALIDATION_FAILED');
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.name).toBe('Renamed');
  });

  it('cancels an event: gone from the list, second cancel says ALREADY_CANCELLED, updates refused', async () => {
    const ev = await createTestEvent(gw.url, adminToken);
    const del = await http(gw.url, 'DELETE', `/api/admin/events/${ev.id}`, { token: adminToken });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ eventId: ev.id, releasedHolds: 0, refundedBookings: 0 });
    const list = await http(gw.url, 'GET', '/api/events');
    expect(list.body.some((e: any) => e.id === ev.id)).toBe(false);
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.status).toBe('cancelled');
    const again = await http(gw.url, 'DELETE', `/api/admin/events/${ev.id}`, { token: adminToken });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_CANCELLED');
    const patch = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { body: { name: 'x' }, token: adminToken });
    expect(patch.status).toBe(409);
  });

  it('answers NOT_FOUND for unknown ids and VALIDATION_FAILED for malformed ones', async () => {
    const unknown = await http(gw.url, 'GET', '/api/events/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const malformed = await http(gw.url, 'GET', "/api/events/1' OR '1'='1");
    expect(malformed.status).toBe(400);
    const del = await http(gw.url, 'DELETE', '/api/admin/events/00000000-0000-4000-8000-000000000000', { token: adminToken });
    expect(del.status).toBe(404);
  });
});

describe('RBAC on admin routes', () => {
  const forged = () =>
    signAccessToken(
      { userId: '00000000-0000-4000-8000-000000000001', role: 'admin' },
      'not-the-server-secret-0123456789abcdef',
      60,
    );
  const expired = () =>
    signAccessToken({ userId: '00000000-0000-4000-8000-000000000001', role: 'admin' }, t.env.JWT_ACCESS_SECRET as string, -10);

  it.each([
    ['no token', () => undefined, 401, 'UNAUTHENTICATED'],
    ['a user token', () => userToken, 403, 'FORBIDDEN'],
    ['a forged admin token', forged, 401, 'UNAUTHENTICATED'],
    ['an expired admin token', expired, 401, 'UNAUTHENTICATED'],
    ['garbage', () => 'not.a.jwt', 401, 'UNAUTHENTICATED'],
  ])('refuses %s on every admin route and changes nothing', async (_name, token, status, code) => {
    const before = await query('SELECT count(*)::int AS n FROM events');
    const ev = await createTestEvent(gw.url, adminToken);
    const tok = token();
    const calls = [
      http(gw.url, 'POST', '/api/admin/events', { body: layout, token: tok }),
      http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { body: { name: 'hacked' }, token: tok }),
      http(gw.url, 'DELETE', `/api/admin/events/${ev.id}`, { token: tok }),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe(code);
    }
    const after = await query('SELECT count(*)::int AS n FROM events');
    expect(after[0].n).toBe(before[0].n + 1);
    const detail = await http(gw.url, 'GET', `/api/events/${ev.id}`);
    expect(detail.body).toMatchObject({ name: ev.name, status: ev.status });
  });
});

describe('hostile event bodies', () => {
  const base = {
    name: 'X',
    venue: 'Y',
    startsAt: '2030-01-01T00:00:00Z',
    sections: [{ name: 'A', priceCents: 1, rows: 1, seatsPerRow: 1 }],
  };
  it.each([
    ['no sections', { ...base, sections: [] }],
    ['negative price', { ...base, sections: [{ name: 'A', priceCents: -5, rows: 1, seatsPerRow: 1 }] }],
    ['fractional rows', { ...base, sections: [{ name: 'A', priceCents: 5, rows: 1.5, seatsPerRow: 1 }] }],
    [
      'too many seats',
      {
        ...base,
        sections: [
          { name: 'A', priceCents: 5, rows: 200, seatsPerRow: 200 },
          { name: 'B', priceCents: 5, rows: 200, seatsPerRow: 200 },
        ],
      },
    ],
    ['duplicate section names', { ...base, sections: [base.sections[0], base.sections[0]] }],
    ['sale after the event', { ...base, saleStartsAt: '2031-01-01T00:00:00Z' }],
    ['a bad date', { ...base, startsAt: 'tomorrow' }],
    ['an unknown field', { ...base, owner: 'me' }],
    ['a string for a number', { ...base, maxSeatsPerUser: '6' }],
    ['a huge name', { ...base, name: 'n'.repeat(50_000) }],
    ['an array body', [base]],
  ])('refuses %s with VALIDATION_FAILED and creates nothing', async (_name, body) => {
    const before = await query('SELECT count(*)::int AS n FROM events');
    const res = await http(gw.url, 'POST', '/api/admin/events', { body, token: adminToken });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).not.toMatch(/at .*\.ts/);
    expect((await query('SELECT count(*)::int AS n FROM events'))[0].n).toBe(before[0].n);
  });
});

describe('operations endpoints', () => {
  it('serves /health, /ready, /metrics and 404s unknown routes', async () => {
    expect((await http(gw.url, 'GET', '/health')).status).toBe(200);
    const ready = await http(gw.url, 'GET', '/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ postgres: 'ok', redis: 'ok' });
    const metrics = await http(gw.url, 'GET', '/metrics', { headers: metricsAuth });
    expect(metrics.status).toBe(200);
    expect(String(metrics.body)).toContain('evently_socket_connections');
    expect(String(metrics.body)).toContain('evently_http_request_seconds');
    const nope = await http(gw.url, 'GET', '/api/nope');
    expect(nope.status).toBe(404);
    expect(nope.body.error.code).toBe('NOT_FOUND');
    expect(nope.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
