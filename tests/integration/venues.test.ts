import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthReply } from '../../core/contract/http.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { staffUser } from '../support/staff-user.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let admin: AuthReply;
let orgA: AuthReply;
let orgB: AuthReply;
let buyer: AuthReply;

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  admin = await loginAdmin(gw.url);
  [orgA, orgB, buyer] = await Promise.all([
    staffUser(gw.url, t.databaseUrl, 'organizer', 'Org A'),
    staffUser(gw.url, t.databaseUrl, 'organizer', 'Org B'),
    registerUser(gw.url, 'Buyer'),
  ]);
});

const layout = [
  { name: 'Stalls', priceCents: 4500, rows: 3, seatsPerRow: 4 },
  { name: 'Circle', priceCents: 2500, rows: 2, seatsPerRow: 3 },
];
const startsAt = '2032-01-10T19:30:00.000Z';

function call(method: string, path: string, who: AuthReply | null, body?: unknown) {
  return http(gw.url, method, path, { body, token: who?.accessToken });
}

describe('venues with saved layouts', () => {
  it('CRUD; an event created from a venue copies its layout, later venue edits leave it alone', async () => {
    const created = await call('POST', '/api/admin/venues', orgA, {
      name: 'Globe',
      address: '21 New Globe Walk',
      sections: layout,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Globe', address: '21 New Globe Walk', capacity: 18, ownerId: orgA.user.id });
    const venueId = created.body.id as string;
    expect((await call('GET', `/api/admin/venues/${venueId}`, orgA)).body.sections).toEqual(layout);

    const ev = await call('POST', '/api/admin/events', orgA, { name: 'Hamlet', startsAt, venueId, series: 'Hamlet' });
    expect(ev.status, JSON.stringify(ev.body)).toBe(201);
    expect(ev.body).toMatchObject({ venue: 'Globe', venueId, capacity: 18, available: 18, series: 'Hamlet' });
    expect(ev.body.sections.map((s: any) => [s.name, s.priceCents, s.capacity])).toEqual([
      ['Stalls', 4500, 12],
      ['Circle', 2500, 6],
    ]);
    const seats = await dbQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM seats WHERE event_id = $1', [ev.body.id]);
    expect(seats[0].n).toBe(18);

    // A venue name given with venueId wins; given sections make a custom layout at the venue.
    const custom = await call('POST', '/api/admin/events', orgA, {
      name: 'Hamlet (in the round)',
      venue: 'Globe, courtyard',
      startsAt,
      venueId,
      sections: [{ name: 'Ring', priceCents: 100, rows: 1, seatsPerRow: 5 }],
    });
    expect(custom.body).toMatchObject({ venue: 'Globe, courtyard', venueId, capacity: 5 });

    const patched = await call('PATCH', `/api/admin/venues/${venueId}`, orgA, {
      name: 'Shakespeare Globe',
      sections: [{ name: 'Pit', priceCents: 500, rows: 10, seatsPerRow: 10 }],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Shakespeare Globe', capacity: 100, address: '21 New Globe Walk' });
    const after = await call('GET', `/api/events/${ev.body.id}`, null);
    expect(after.body).toMatchObject({ venue: 'Globe', capacity: 18 });

    const listed = await call('GET', `/api/events?venueId=${venueId}`, null);
    expect(listed.body.map((e: any) => e.id).sort()).toEqual([ev.body.id, custom.body.id].sort());

    expect((await call('DELETE', `/api/admin/venues/${venueId}`, orgA)).status).toBe(204);
    expect((await call('GET', `/api/admin/venues/${venueId}`, orgA)).status).toBe(404);
    const orphan = await call('GET', `/api/events/${ev.body.id}`, null);
    expect(orphan.body).toMatchObject({ venue: 'Globe', venueId: null, capacity: 18, available: 18 });
  });

  it('lists venues: organizers their own, admins all, paged with a Link header', async () => {
    for (let i = 0; i < 3; i++) await call('POST', '/api/admin/venues', orgB, { name: `B hall ${i}`, sections: layout });
    await call('POST', '/api/admin/venues', orgA, { name: 'A hall', sections: layout });
    const mine = await call('GET', '/api/admin/venues', orgB);
    expect(mine.body.map((v: any) => v.name)).toEqual(['B hall 0', 'B hall 1', 'B hall 2']);
    const page1 = await call('GET', '/api/admin/venues?limit=2', orgB);
    expect(page1.body).toHaveLength(2);
    const next = /<([^>]+)>; rel="next"/.exec(page1.headers.get('link') ?? '')?.[1] as string;
    const page2 = await http(gw.url, 'GET', next, { token: orgB.accessToken });
    expect(page2.body.map((v: any) => v.name)).toEqual(['B hall 2']);
    expect(page2.headers.get('link')).toBeNull();
    const all = await call('GET', '/api/admin/venues?q=hall', admin);
    expect(all.body.map((v: any) => v.name)).toEqual(['B hall 0', 'B hall 1', 'B hall 2', 'A hall']);
  });

  it("organizers touch only their own venues and events: FORBIDDEN on anyone else's, nothing changes", async () => {
    const theirs = await call('POST', '/api/admin/venues', orgB, { name: 'B only', sections: layout });
    const vB = theirs.body.id as string;
    const evB = await call('POST', '/api/admin/events', orgB, { name: 'B show', startsAt, venueId: vB });
    const adminEvent = await createTestEvent(gw.url, admin.accessToken);
    const forbidden = [
      await call('GET', `/api/admin/venues/${vB}`, orgA),
      await call('PATCH', `/api/admin/venues/${vB}`, orgA, { name: 'Mine now' }),
      await call('DELETE', `/api/admin/venues/${vB}`, orgA),
      await call('POST', '/api/admin/events', orgA, { name: 'Stolen layout', startsAt, venueId: vB }),
      await call('PATCH', `/api/admin/events/${evB.body.id}`, orgA, { name: 'Hijacked' }),
      await call('DELETE', `/api/admin/events/${evB.body.id}`, orgA),
      await call('PATCH', `/api/admin/events/${adminEvent.id}`, orgA, { refundPercent: 0 }),
      await call('DELETE', `/api/admin/events/${adminEvent.id}`, orgA),
    ];
    // Linking one's own event to another organizer's venue is refused as well.
    const evA = await call('POST', '/api/admin/events', orgA, { name: 'A show', venue: 'A place', startsAt, sections: layout });
    forbidden.push(await call('PATCH', `/api/admin/events/${evA.body.id}`, orgA, { venueId: vB }));
    for (const res of forbidden) expect([res.status, res.body?.error?.code]).toEqual([403, 'FORBIDDEN']);

    expect((await call('GET', `/api/admin/venues/${vB}`, orgB)).body.name).toBe('B only');
    expect((await call('GET', `/api/events/${evB.body.id}`, null)).body).toMatchObject({ name: 'B show', status: 'on_sale' });
    expect((await call('GET', `/api/events/${adminEvent.id}`, null)).body).toMatchObject({ refundPercent: 100 });
    expect((await call('GET', `/api/events/${evA.body.id}`, null)).body.venueId).toBeNull();
    // Admins may do everything, also with an organizer's venue.
    const adminUse = await call('POST', '/api/admin/events', admin, { name: 'Admin at B', startsAt, venueId: vB });
    expect(adminUse.status).toBe(201);
    expect((await call('DELETE', `/api/admin/events/${evB.body.id}`, admin)).status).toBe(200);
    // The owner manages its own.
    expect((await call('PATCH', `/api/admin/events/${evA.body.id}`, orgA, { series: 'A tour' })).status).toBe(200);
    expect((await call('DELETE', `/api/admin/events/${evA.body.id}`, orgA)).status).toBe(200);
  });

  it('refuses buyers and anonymous callers, and bad venue input', async () => {
    for (const who of [buyer, null]) {
      const res = await call('POST', '/api/admin/venues', who, { name: 'X', sections: layout });
      expect(res.status).toBe(who ? 403 : 401);
      expect((await call('GET', '/api/admin/venues', who)).status).toBe(who ? 403 : 401);
      expect((await call('POST', '/api/admin/events', who, { name: 'X', venue: 'Y', startsAt, sections: layout })).status).toBe(
        who ? 403 : 401,
      );
    }
    const bad = [
      {},
      { name: 'No layout' },
      { name: '', sections: layout },
      { name: 'Empty', sections: [] },
      { name: 'Dup', sections: [layout[0], layout[0]] },
      {
        name: 'Huge',
        sections: [
          { name: 'A', priceCents: 1, rows: 200, seatsPerRow: 200 },
          { name: 'B', priceCents: 1, rows: 200, seatsPerRow: 200 },
        ],
      },
      { name: 'Neg', sections: [{ name: 'A', priceCents: -1, rows: 1, seatsPerRow: 1 }] },
      { name: 'Extra', sections: layout, ownerId: orgB.user.id },
      { name: 'Addr', sections: layout, address: 'x'.repeat(501) },
    ];
    for (const body of bad) {
      const res = await call('POST', '/api/admin/venues', orgA, body);
      expect([body, res.status, res.body?.error?.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
    }
    const v = (await call('POST', '/api/admin/venues', orgA, { name: 'Fine', sections: layout })).body;
    for (const body of [{}, { sections: [] }, { capacity: 5 }]) {
      const res = await call('PATCH', `/api/admin/venues/${v.id}`, orgA, body);
      expect([body, res.status]).toEqual([body, 400]);
    }
    expect((await call('GET', '/api/admin/venues/not-a-uuid', orgA)).status).toBe(400);
    expect((await call('GET', '/api/admin/venues/00000000-0000-4000-8000-000000000000', orgA)).status).toBe(404);
    expect((await call('GET', '/api/admin/venues?cursor=zzz', orgA)).status).toBe(400);
    expect((await call('GET', `/api/admin/venues/${v.id}`, orgA)).body).toMatchObject({ name: 'Fine', capacity: 18 });
  });
});
