import { beforeAll, describe, expect, it } from 'vitest';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { staffUser } from '../support/staff-user.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let admin: string;
let alice: { token: string; id: string };
let bob: { token: string; id: string };

beforeAll(async () => {
  t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  admin = (await loginAdmin(gw.url)).accessToken;
  const a = await staffUser(gw.url, t.databaseUrl, 'organizer', 'Alice Organizer');
  const b = await staffUser(gw.url, t.databaseUrl, 'organizer', 'Bob Organizer');
  alice = { token: a.accessToken, id: a.user.id };
  bob = { token: b.accessToken, id: b.user.id };
});

async function waitlisted(eventId: string, n: number): Promise<{ id: string; userId: string }[]> {
  const out = [];
  for (let i = 0; i < n; i++) {
    const u = await registerUser(gw.url, `Waiter ${i}`);
    const [row] = await dbQuery<{ id: string }>(
      t.databaseUrl,
      'INSERT INTO waitlist_entries (event_id, user_id, quantity) VALUES ($1, $2, $3) RETURNING id',
      [eventId, u.user.id, i + 1],
    );
    out.push({ id: row!.id, userId: u.user.id });
  }
  return out;
}

describe('the console routes: managed events, codes, waitlist, audit', () => {
  it('lists only the events an organizer owns, with sold and held seats; admins see every one', async () => {
    const mine = await createTestEvent(gw.url, alice.token, { name: 'Alice Night', admission: OPEN_ADMISSION });
    const theirs = await createTestEvent(gw.url, bob.token, { name: 'Bob Night' });
    // A real sale: one buyer books two seats, another holds one.
    const buyer = await admittedUser(gw.url, mine.id);
    const hold = await buyer.client.seatsHold({
      eventId: mine.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'h1',
      quantity: 2,
    });
    if (!hold.ok) throw new Error(JSON.stringify(hold.error));
    const paid = await buyer.client.holdConfirm({
      holdId: hold.data.holdId,
      idempotencyKey: 'c1',
      payment: { method: 'mock', outcome: 'approve' },
    });
    expect(paid.ok).toBe(true);
    const holder = await admittedUser(gw.url, mine.id);
    const held = await holder.client.seatsHold({
      eventId: mine.id,
      admissionToken: holder.admissionToken,
      idempotencyKey: 'h2',
      quantity: 1,
    });
    expect(held.ok).toBe(true);
    buyer.client.close();
    holder.client.close();
    const cancelled = await createTestEvent(gw.url, alice.token, { name: 'Alice Cancelled' });
    expect((await http(gw.url, 'DELETE', `/api/admin/events/${cancelled.id}`, { token: alice.token })).status).toBe(200);

    const a = await http<any[]>(gw.url, 'GET', '/api/admin/events', { token: alice.token });
    expect(a.status).toBe(200);
    expect(a.body.map((e) => e.name).sort()).toEqual(['Alice Cancelled', 'Alice Night']);
    expect(a.body.find((e) => e.id === mine.id)).toMatchObject({ capacity: 20, sold: 2, held: 1, available: 17 });
    expect(a.body.find((e) => e.id === cancelled.id)).toMatchObject({ status: 'cancelled' });
    const b = await http<any[]>(gw.url, 'GET', '/api/admin/events', { token: bob.token });
    expect(b.body.map((e) => e.id)).toEqual([theirs.id]);
    const all = await http<any[]>(gw.url, 'GET', '/api/admin/events?limit=500', { token: admin });
    expect(all.body.map((e) => e.id)).toEqual(expect.arrayContaining([mine.id, theirs.id, cancelled.id]));

    // Paged: one per page, every event once, in order.
    const seen: string[] = [];
    let path: string | null = '/api/admin/events?limit=1';
    while (path) {
      const page: any = await http<any[]>(gw.url, 'GET', path, { token: alice.token });
      seen.push(...page.body.map((e: any) => e.id));
      path = /<([^>]+)>; rel="next"/.exec(page.headers.get('link') ?? '')?.[1] ?? null;
    }
    expect(seen).toEqual(a.body.map((e) => e.id));
    expect((await http(gw.url, 'GET', '/api/admin/events', { token: (await registerUser(gw.url)).accessToken })).status).toBe(
      403,
    );
    expect((await http(gw.url, 'GET', '/api/admin/events?cursor=abc', { token: alice.token })).status).toBe(400);
  });

  it("lists an event's access codes with uses left; another organizer is refused", async () => {
    const ev = await createTestEvent(gw.url, alice.token);
    const made = await http<{ codes: string[] }>(gw.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, {
      token: alice.token,
      body: { count: 3, kind: 'presale', maxUses: 2 },
    });
    expect(made.status).toBe(201);
    await dbQuery(
      t.databaseUrl,
      `UPDATE access_codes SET uses = 1 WHERE id = (SELECT id FROM access_codes WHERE event_id = $1 LIMIT 1)`,
      [ev.id],
    );
    const list = await http<any[]>(gw.url, 'GET', `/api/admin/events/${ev.id}/access-codes`, { token: alice.token });
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    expect(list.body.map((c) => [c.kind, c.maxUses, c.uses, c.usesLeft]).sort()).toEqual([
      ['presale', 2, 0, 2],
      ['presale', 2, 0, 2],
      ['presale', 2, 1, 1],
    ]);
    // Nothing in the list can be turned back into a code.
    for (const code of made.body.codes) expect(JSON.stringify(list.body)).not.toContain(code);
    const refused = await http(gw.url, 'GET', `/api/admin/events/${ev.id}/access-codes`, { token: bob.token });
    expect(refused.status).toBe(403);
  });

  it('lists the waitlist in line order and removes one entry exactly once under a race', async () => {
    const ev = await createTestEvent(gw.url, alice.token);
    const entries = await waitlisted(ev.id, 3);
    const list = await http<any[]>(gw.url, 'GET', `/api/admin/events/${ev.id}/waitlist`, { token: alice.token });
    expect(list.body.map((e) => [e.position, e.userId, e.quantity, e.status])).toEqual(
      entries.map((e, i) => [i + 1, e.userId, i + 1, 'waiting']),
    );
    expect(list.body[0].userName).toBe('Waiter 0');

    expect(
      (await http(gw.url, 'DELETE', `/api/admin/events/${ev.id}/waitlist/${entries[0]!.id}`, { token: bob.token })).status,
    ).toBe(403);
    const replies = await Promise.all(
      Array.from({ length: 8 }, () =>
        http(gw.url, 'DELETE', `/api/admin/events/${ev.id}/waitlist/${entries[1]!.id}`, { token: alice.token }),
      ),
    );
    expect(replies.map((r) => r.status).sort()).toEqual([204, 404, 404, 404, 404, 404, 404, 404]);
    const after = await http<any[]>(gw.url, 'GET', `/api/admin/events/${ev.id}/waitlist`, { token: alice.token });
    expect(after.body.map((e) => [e.position, e.userId])).toEqual([
      [1, entries[0]!.userId],
      [2, entries[2]!.userId],
    ]);
    const [row] = await dbQuery(t.databaseUrl, 'SELECT status FROM waitlist_entries WHERE id = $1', [entries[1]!.id]);
    expect(row).toEqual({ status: 'cancelled' });
    const audit = await dbQuery(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'waitlist.removed' AND entity_id = $1`,
      [entries[1]!.id],
    );
    expect(audit).toEqual([{ n: 1 }]);
    // An entry of another event is not found through this one.
    const other = await createTestEvent(gw.url, alice.token);
    expect(
      (await http(gw.url, 'DELETE', `/api/admin/events/${other.id}/waitlist/${entries[0]!.id}`, { token: alice.token })).status,
    ).toBe(404);
  });

  it('pages the audit log of an event newest first, for its organizer and admins only', async () => {
    const ev = await createTestEvent(gw.url, alice.token);
    for (const name of ['One', 'Two', 'Three']) {
      expect((await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { token: alice.token, body: { name } })).status).toBe(
        200,
      );
    }
    const first = await http<any[]>(gw.url, 'GET', `/api/admin/events/${ev.id}/audit?limit=2`, { token: alice.token });
    expect(first.status).toBe(200);
    expect(first.body.map((e) => [e.action, e.data.name])).toEqual([
      ['event.updated', 'Three'],
      ['event.updated', 'Two'],
    ]);
    expect(first.body[0]).toMatchObject({ actorId: alice.id, actorName: 'Alice Organizer', entityType: 'event' });
    const next = /<([^>]+)>; rel="next"/.exec(first.headers.get('link') ?? '')?.[1];
    const second = await http<any[]>(gw.url, 'GET', next!, { token: alice.token });
    expect(second.body.map((e) => e.action)).toEqual(['event.updated', 'event.created']);
    expect(second.headers.get('link')).toBeNull();
    expect((await http(gw.url, 'GET', `/api/admin/events/${ev.id}/audit`, { token: admin })).body).toHaveLength(4);
    expect((await http(gw.url, 'GET', `/api/admin/events/${ev.id}/audit`, { token: bob.token })).status).toBe(403);
    const forged = Buffer.from(JSON.stringify(['1; DROP TABLE x'])).toString('base64url');
    expect((await http(gw.url, 'GET', `/api/admin/events/${ev.id}/audit?cursor=${forged}`, { token: alice.token })).status).toBe(
      400,
    );
    expect((await http(gw.url, 'GET', `/api/admin/events/${ev.id}/audit?limit=0`, { token: alice.token })).status).toBe(400);
  });
});

describe('queue health', () => {
  it("shows staff each gateway's hold p95 and database queue, as the admission loop reads them", async () => {
    await expect
      .poll(async () => (await http(gw.url, 'GET', '/api/admin/queue-health', { token: alice.token })).body.gateways?.length)
      .toBeGreaterThanOrEqual(1);
    const { body } = await http(gw.url, 'GET', '/api/admin/queue-health', { token: alice.token });
    expect(body.gateways[0]).toMatchObject({ dbWaiting: expect.any(Number), fresh: true });
    expect(body.combined).toMatchObject({ dbWaiting: body.gateways.reduce((n: number, g: any) => n + g.dbWaiting, 0) });
    expect(body.dbQueueMax).toBeGreaterThan(0);
    expect(
      (await http(gw.url, 'GET', '/api/admin/queue-health', { token: (await registerUser(gw.url)).accessToken })).status,
    ).toBe(403);
  });
});

describe('sections and prices before the sale', () => {
  const later = () => ({
    saleStartsAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
  });
  const two = [
    { name: 'Floor', priceCents: 5000, rows: 2, seatsPerRow: 5 },
    { name: 'Balcony', priceCents: 3000, rows: 1, seatsPerRow: 4 },
  ];
  const seatIds = async (eventId: string) =>
    (await dbQuery<{ id: string }>(t.databaseUrl, 'SELECT id FROM seats WHERE event_id = $1 ORDER BY id', [eventId])).map(
      (r) => r.id,
    );

  it('reprices and renames in place (same seats), or rebuilds the seats for another shape; the served layout follows', async () => {
    const ev = await createTestEvent(gw.url, alice.token, { ...later(), sections: two });
    const before = await seatIds(ev.id);
    // Cache the layout on the gateway first: the change must replace it. Browsers must revalidate
    // a layout that may still change; once on sale it may be kept.
    const cached = await http(gw.url, 'GET', `/api/events/${ev.id}/seats`);
    expect(cached.body.sections.map((s: any) => s.priceCents)).toEqual([5000, 3000]);
    expect(cached.headers.get('cache-control')).toBe('no-cache');
    const onSale = await createTestEvent(gw.url, alice.token, { sections: two });
    expect((await http(gw.url, 'GET', `/api/events/${onSale.id}/seats`)).headers.get('cache-control')).toBe(
      'public, max-age=300',
    );
    const swapped = [
      { ...two[1]!, name: 'Floor', rows: 2, seatsPerRow: 5, priceCents: 4500 },
      { ...two[0]!, name: 'Balcony', rows: 1, seatsPerRow: 4, priceCents: 2500 },
    ];
    const same = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { token: alice.token, body: { sections: swapped } });
    expect(same.status).toBe(200);
    expect(same.body.sections.map((s: any) => [s.name, s.priceCents, s.capacity])).toEqual([
      ['Floor', 4500, 10],
      ['Balcony', 2500, 4],
    ]);
    expect(await seatIds(ev.id)).toEqual(before);
    // The gateway that answered dropped its cached layout before answering (the after-commit path).
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}/seats`)).body.seats.map((s: any) => s.priceCents).sort()).toEqual(
      [...Array(4).fill(2500), ...Array(10).fill(4500)].sort(),
    );

    const bigger = [{ name: 'Arena', priceCents: 9900, rows: 3, seatsPerRow: 7 }];
    const rebuilt = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { token: alice.token, body: { sections: bigger } });
    expect(rebuilt.status).toBe(200);
    expect(rebuilt.body).toMatchObject({ capacity: 21, available: 21 });
    expect((await seatIds(ev.id)).length).toBe(21);
    await expect.poll(async () => (await http(gw.url, 'GET', `/api/events/${ev.id}/seats`)).body.seats.length).toBe(21);
  });

  it('refuses once the sale opened or anyone waited, changing nothing', async () => {
    const open = await createTestEvent(gw.url, alice.token, { sections: two });
    const refused = await http(gw.url, 'PATCH', `/api/admin/events/${open.id}`, {
      token: alice.token,
      body: { sections: [{ ...two[0]!, priceCents: 1 }, two[1]!], name: 'Renamed too' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('CONFLICT');
    const after = (await http(gw.url, 'GET', `/api/events/${open.id}`)).body;
    expect([after.name, after.sections[0].priceCents]).toEqual(['Test Concert', 5000]);

    const presale = await createTestEvent(gw.url, alice.token, {
      ...later(),
      presaleStartsAt: new Date(Date.now() - 60_000).toISOString(),
      sections: two,
    });
    expect(
      (await http(gw.url, 'PATCH', `/api/admin/events/${presale.id}`, { token: alice.token, body: { sections: two } })).status,
    ).toBe(409);

    const waited = await createTestEvent(gw.url, alice.token, { ...later(), sections: two });
    await waitlisted(waited.id, 1);
    expect(
      (await http(gw.url, 'PATCH', `/api/admin/events/${waited.id}`, { token: alice.token, body: { sections: two } })).status,
    ).toBe(409);
    expect(
      (await http(gw.url, 'PATCH', `/api/admin/events/${waited.id}`, { token: bob.token, body: { sections: two } })).status,
    ).toBe(403);
  });

  it('keeps seats, sections and capacity consistent when many layout edits race', async () => {
    const ev = await createTestEvent(gw.url, alice.token, { ...later(), sections: two });
    const layouts = Array.from({ length: 6 }, (_, i) => [
      { name: `S${i}`, priceCents: 1000 + i, rows: 1 + i, seatsPerRow: 3 },
      { name: 'Back', priceCents: 500, rows: 2, seatsPerRow: 2 + (i % 2) },
    ]);
    const replies = await Promise.all(
      layouts.map((sections) => http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { token: alice.token, body: { sections } })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
    const [row] = await dbQuery<{ capacity: number; seats: number; planned: number }>(
      t.databaseUrl,
      `SELECT e.capacity, (SELECT count(*)::int FROM seats WHERE event_id = e.id) AS seats,
              (SELECT sum(rows * seats_per_row)::int FROM sections WHERE event_id = e.id) AS planned
         FROM events e WHERE e.id = $1`,
      [ev.id],
    );
    expect(row!.seats).toBe(row!.capacity);
    expect(row!.planned).toBe(row!.capacity);
    const sections = await dbQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM sections WHERE event_id = $1', [ev.id]);
    expect(sections).toEqual([{ n: 2 }]);
  });
});
