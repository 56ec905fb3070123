import { beforeAll, describe, expect, it } from 'vitest';
import type { EventSummary } from '../../core/contract/http.js';
import { encodeCursor } from '../../core/domain/page-cursor.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { seatIdsInOrder } from '../support/db-query.js';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
/** Every event of this file sits in this far-future window, apart from events of other tests. */
const base = Date.parse('2031-03-01T18:00:00.000Z');
const at = (days: number) => new Date(base + days * 86_400_000).toISOString();
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
  const one = [{ name: 'A', priceCents: 1000, rows: 1, seatsPerRow: 1 }];
  const specs = [
    { key: 'hamlet1', name: 'Hamlet', venue: 'Globe Theatre', startsAt: at(1), series: 'Hamlet 2031' },
    { key: 'hamlet2', name: 'Hamlet', venue: 'Globe Theatre', startsAt: at(2), series: 'Hamlet 2031' },
    { key: 'jazz', name: 'Late Jazz 100%', venue: 'Blue Cellar', startsAt: at(3) },
    { key: 'hamlet3', name: 'Hamlet', venue: 'Old Vic', startsAt: at(4), series: 'Hamlet 2031', refundPercent: 50 },
    { key: 'rock', name: 'Rock Night', venue: 'Globe Arena', startsAt: at(5), presaleStartsAt: at(-10), saleStartsAt: at(-5) },
  ];
  for (const { key, ...spec } of specs) {
    const ev = await createTestEvent(gw.url, adminToken, { ...spec, sections: one, admission: OPEN_ADMISSION });
    ids[key] = ev.id;
  }
});

async function list(query: string) {
  const res = await http<EventSummary[]>(gw.url, 'GET', `/api/events?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}
const keysOf = (events: EventSummary[]) =>
  events.map((e) => Object.entries(ids).find(([, id]) => id === e.id)?.[0]).filter((k) => k !== undefined);
const inWindow = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(30))}`;

describe('GET /api/events: catalog search', () => {
  it('lists the new fields back', async () => {
    const res = await list(`${inWindow}&series=${encodeURIComponent('Hamlet 2031')}`);
    expect(res.body.find((e) => e.id === ids.hamlet3)).toMatchObject({
      series: 'Hamlet 2031',
      refundPercent: 50,
      venueId: null,
      presaleStartsAt: null,
    });
    const rock = (await list(inWindow)).body.find((e) => e.id === ids.rock);
    expect(rock).toMatchObject({ series: null, refundPercent: 100, presaleStartsAt: at(-10) });
  });

  it('filters by series, text on name and venue, and the date range; filters combine', async () => {
    expect(keysOf((await list(`${inWindow}&series=${encodeURIComponent('Hamlet 2031')}`)).body)).toEqual([
      'hamlet1',
      'hamlet2',
      'hamlet3',
    ]);
    // q matches a substring of the name or of the venue, case-insensitively.
    expect(keysOf((await list(`${inWindow}&q=globe`)).body)).toEqual(['hamlet1', 'hamlet2', 'rock']);
    expect(keysOf((await list(`${inWindow}&q=OLD%20VIC`)).body)).toEqual(['hamlet3']);
    // LIKE wildcards in q are literal: '100%' matches only the name that has it.
    expect(keysOf((await list(`${inWindow}&q=${encodeURIComponent('0%')}`)).body)).toEqual(['jazz']);
    expect(keysOf((await list(`${inWindow}&q=_`)).body)).toEqual([]);
    expect(keysOf((await list(`from=${encodeURIComponent(at(1.5))}&to=${encodeURIComponent(at(3.5))}`)).body)).toEqual([
      'hamlet2',
      'jazz',
    ]);
    expect(keysOf((await list(`${inWindow}&q=globe&series=${encodeURIComponent('Hamlet 2031')}`)).body)).toEqual([
      'hamlet1',
      'hamlet2',
    ]);
    // Without `from`, past events are not listed; all of these are in the future.
    expect(keysOf((await list('q=hamlet')).body)).toEqual(['hamlet1', 'hamlet2', 'hamlet3']);
  });

  it('available=true leaves out events with no free seat', async () => {
    const seat = (await seatIdsInOrder(t.databaseUrl, ids.jazz as string))[0] as string;
    const buyer = await admittedUser(gw.url, ids.jazz as string);
    const held = await buyer.client.seatsHold({
      eventId: ids.jazz as string,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'search-hold',
      seatIds: [seat],
    });
    expect(held.ok).toBe(true);
    expect(keysOf((await list(`${inWindow}&available=true`)).body)).toEqual(['hamlet1', 'hamlet2', 'hamlet3', 'rock']);
    expect(keysOf((await list(`${inWindow}&available=false`)).body)).toContain('jazz');
  });

  it('pages with a cursor announced in a Link header until the last page', async () => {
    const seen: string[] = [];
    let next: string | null = `/api/events?${inWindow}&limit=2`;
    let pages = 0;
    while (next) {
      const res: { status: number; body: EventSummary[]; headers: Headers } = await http<EventSummary[]>(gw.url, 'GET', next);
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body)).toBe(true);
      expect(res.body.length).toBeLessThanOrEqual(2);
      seen.push(...res.body.map((e) => e.id));
      const link: string | null = res.headers.get('link');
      next = link ? (/^<([^>]+)>; rel="next"$/.exec(link)?.[1] ?? null) : null;
      if (link) expect(next, link).not.toBeNull();
      pages += 1;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(3);
    expect(keysOf(seen.map((id) => ({ id }) as EventSummary))).toEqual(['hamlet1', 'hamlet2', 'jazz', 'hamlet3', 'rock']);
    // The filters travel with the cursor.
    const first = await list(`${inWindow}&q=hamlet&limit=1`);
    const link = first.headers.get('link') ?? '';
    expect(link).toContain('q=hamlet');
    const second = await http<EventSummary[]>(gw.url, 'GET', /<([^>]+)>/.exec(link)?.[1] as string);
    expect(keysOf(second.body)).toEqual(['hamlet2']);
  });

  it('refuses bad filters with VALIDATION_FAILED', async () => {
    const bad = [
      'limit=0',
      'limit=501',
      'limit=abc',
      'venueId=not-a-uuid',
      'from=yesterday',
      `from=${encodeURIComponent(at(2))}&to=${encodeURIComponent(at(1))}`,
      'available=maybe',
      'q=',
      `q=${'x'.repeat(201)}`,
      'cursor=%%%',
      `cursor=${encodeCursor(['x'])}`,
      `cursor=${encodeCursor(['2031-01-01T00:00:00Z', "1' OR 1=1"])}`,
      `cursor=${encodeCursor(['not a time', '00000000-0000-4000-8000-000000000000'])}`,
      `cursor=${Buffer.from('{"a":1}').toString('base64url')}`,
      'sort=name',
    ];
    for (const query of bad) {
      const res = await http(gw.url, 'GET', `/api/events?${query}`);
      expect([query, res.status, res.body?.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });

  it('refuses bad new event fields', async () => {
    const body = (extra: Record<string, unknown>) => ({
      name: 'Bad',
      venue: 'Hall',
      startsAt: at(9),
      saleStartsAt: at(-1),
      sections: [{ name: 'A', priceCents: 1, rows: 1, seatsPerRow: 1 }],
      ...extra,
    });
    const bad = [
      { refundPercent: 101 },
      { refundPercent: -1 },
      { refundPercent: 50.5 },
      { series: '' },
      { series: 'x'.repeat(201) },
      { presaleStartsAt: 'soon' },
      { presaleStartsAt: at(0) },
      { venueId: 'nope' },
      { venue: undefined },
      { sections: undefined },
    ];
    for (const extra of bad) {
      const res = await http(gw.url, 'POST', '/api/admin/events', { body: body(extra), token: adminToken });
      expect([extra, res.status, res.body?.error?.code]).toEqual([extra, 400, 'VALIDATION_FAILED']);
    }
    const unknownVenue = await http(gw.url, 'POST', '/api/admin/events', {
      body: body({ venueId: '00000000-0000-4000-8000-000000000000', sections: undefined }),
      token: adminToken,
    });
    expect([unknownVenue.status, unknownVenue.body.error.code]).toEqual([404, 'NOT_FOUND']);
    // PATCH: same rules, and presale after the stored sale start is refused.
    const patch = (b: Record<string, unknown>) =>
      http(gw.url, 'PATCH', `/api/admin/events/${ids.rock}`, { body: b, token: adminToken });
    for (const b of [{ refundPercent: 200 }, { series: '' }, { presaleStartsAt: at(-1) }, { venueId: 'x' }]) {
      const res = await patch(b);
      expect([b, res.status, res.body?.error?.code]).toEqual([b, 400, 'VALIDATION_FAILED']);
    }
    const ok = await patch({ refundPercent: 25, series: 'Rock Tour', presaleStartsAt: null });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ refundPercent: 25, series: 'Rock Tour', presaleStartsAt: null });
  });
});
