import { beforeAll, describe, expect, it } from 'vitest';
import type { EventlyClient } from '../../core/contract/create-client.js';
import type { AuthReply, EventDetail } from '../../core/contract/http.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createBulkUsers } from '../support/bulk-users.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { staffUser } from '../support/staff-user.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gwA: StartedProcess;
let gwB: StartedProcess;
let admin: AuthReply;

beforeAll(async () => {
  t = await createTestEnv();
  [gwA, gwB] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  admin = await loginAdmin(gwA.url);
});

async function codesFor(eventId: string, kind: 'presale' | 'bypass', count = 1, maxUses = 1): Promise<string[]> {
  const res = await http(gwA.url, 'POST', `/api/admin/events/${eventId}/access-codes`, {
    body: { count, kind, maxUses },
    token: admin.accessToken,
  });
  if (res.status !== 201) throw new Error(`codes: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.codes;
}

/** `count` signed-in clients, alternating between the two gateways. */
async function clients(count: number): Promise<EventlyClient[]> {
  const users = await createBulkUsers(t.databaseUrl, t.env.JWT_ACCESS_SECRET as string, count);
  return Promise.all(users.map((u, i) => connectClient(i % 2 ? gwB.url : gwA.url, u.accessToken)));
}

const usesOf = async (eventId: string) =>
  (await dbQuery(t.databaseUrl, 'SELECT coalesce(sum(uses), 0)::int AS n FROM access_codes WHERE event_id = $1', [eventId]))[0].n;

describe('POST /api/admin/events/:id/access-codes', () => {
  it('creates codes for admins and the owning organizer; refuses everyone else and bad input', async () => {
    const org = await staffUser(gwA.url, t.databaseUrl, 'organizer');
    const rival = await staffUser(gwA.url, t.databaseUrl, 'organizer');
    const buyer = await registerUser(gwA.url);
    const ev = await createTestEvent(gwA.url, org.accessToken);
    const made = await http(gwA.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, {
      body: { count: 5, kind: 'presale', maxUses: 2 },
      token: org.accessToken,
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ eventId: ev.id, kind: 'presale', maxUses: 2 });
    expect(new Set(made.body.codes).size).toBe(5);
    for (const code of made.body.codes) expect(code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const stored = await dbQuery(t.databaseUrl, 'SELECT code_hash FROM access_codes WHERE event_id = $1', [ev.id]);
    expect(stored).toHaveLength(5);
    expect(stored.some((r) => made.body.codes.includes(r.code_hash))).toBe(false);
    const byAdmin = await http(gwA.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, {
      body: { count: 1, kind: 'bypass' },
      token: admin.accessToken,
    });
    expect([byAdmin.status, byAdmin.body.maxUses]).toEqual([201, 1]);

    for (const [who, status] of [
      [rival.accessToken, 403],
      [buyer.accessToken, 403],
      [undefined, 401],
    ] as const) {
      const res = await http(gwA.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, {
        body: { count: 1, kind: 'bypass' },
        token: who,
      });
      expect(res.status).toBe(status);
    }
    for (const body of [
      {},
      { count: 0, kind: 'bypass' },
      { count: 1001, kind: 'bypass' },
      { count: 1, kind: 'vip' },
      { count: 1, kind: 'bypass', maxUses: 0 },
      { count: 1.5, kind: 'bypass' },
      { count: 1, kind: 'bypass', code: 'MINE' },
    ]) {
      const res = await http(gwA.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, { body, token: org.accessToken });
      expect([body, res.status, res.body?.error?.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
    }
    const missing = await http(gwA.url, 'POST', '/api/admin/events/00000000-0000-4000-8000-000000000000/access-codes', {
      body: { count: 1, kind: 'bypass' },
      token: admin.accessToken,
    });
    expect(missing.status).toBe(404);
    await http(gwA.url, 'DELETE', `/api/admin/events/${ev.id}`, { token: org.accessToken });
    const cancelled = await http(gwA.url, 'POST', `/api/admin/events/${ev.id}/access-codes`, {
      body: { count: 1, kind: 'bypass' },
      token: org.accessToken,
    });
    expect([cancelled.status, cancelled.body.error.code]).toEqual([409, 'CONFLICT']);
    expect((await dbQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM access_codes WHERE event_id = $1', [ev.id]))[0].n).toBe(
      6,
    );
  });
});

describe('queue:join with an access code', () => {
  it('counts each use once: of many devices racing one single-use code exactly one wins', async () => {
    const ev = await createTestEvent(gwA.url, admin.accessToken, { admission: OPEN_ADMISSION });
    const [single] = await codesFor(ev.id, 'bypass', 1, 1);
    const racers = await clients(80);
    const acks = await Promise.all(racers.map((c) => c.queueJoin({ eventId: ev.id, accessCode: single as string })));
    expect(acks.filter((a) => a.ok)).toHaveLength(1);
    const refused = acks.filter((a) => !a.ok);
    expect(refused.map((a) => !a.ok && a.error.code)).toEqual(Array(79).fill('FORBIDDEN'));
    expect(await usesOf(ev.id)).toBe(1);

    const [triple] = await codesFor(ev.id, 'bypass', 1, 3);
    const more = await clients(15);
    const tripleAcks = await Promise.all(more.map((c) => c.queueJoin({ eventId: ev.id, accessCode: triple as string })));
    expect(tripleAcks.filter((a) => a.ok)).toHaveLength(3);
    expect(await usesOf(ev.id)).toBe(4);
    // The winner joining again (reconnect, second tab) uses nothing more; lowercase works too.
    const winner = more[tripleAcks.findIndex((a) => a.ok)] as EventlyClient;
    const again = await winner.queueJoin({ eventId: ev.id, accessCode: (triple as string).toLowerCase() });
    expect(again.ok).toBe(true);
    expect(await usesOf(ev.id)).toBe(4);
    const report = await http(gwA.url, 'GET', `/api/admin/analytics?eventId=${ev.id}`, { token: admin.accessToken });
    expect(report.body.accessCodes).toEqual({
      presale: { codes: 0, uses: 0, usesInRange: 0 },
      bypass: { codes: 2, uses: 4, usesInRange: 4 },
    });
  });

  it('refuses forged, foreign and used-up codes with FORBIDDEN and changes nothing', async () => {
    const ev = await createTestEvent(gwA.url, admin.accessToken, { admission: OPEN_ADMISSION });
    const other = await createTestEvent(gwA.url, admin.accessToken, { admission: OPEN_ADMISSION });
    const [foreign] = await codesFor(other.id, 'bypass');
    const [once] = await codesFor(ev.id, 'bypass');
    const [first, second] = await clients(2);
    expect((await (first as EventlyClient).queueJoin({ eventId: ev.id, accessCode: once as string })).ok).toBe(true);
    for (const code of ['AAAA-BBBB-CCCC', foreign as string, once as string]) {
      const ack = await (second as EventlyClient).queueJoin({ eventId: ev.id, accessCode: code });
      expect([code, !ack.ok && ack.error.code]).toEqual([code, 'FORBIDDEN']);
    }
    for (const code of ['!!!!!!', 'ab', 'x'.repeat(65), 42]) {
      const ack = await (second as EventlyClient).send('queue:join', { eventId: ev.id, accessCode: code });
      expect([code, !ack.ok && ack.error.code]).toEqual([code, 'VALIDATION_FAILED']);
    }
    const status = await (second as EventlyClient).queueStatus({ eventId: ev.id });
    expect(status.ok && status.data).toEqual({ state: 'none' });
    expect(await usesOf(ev.id)).toBe(1);
    expect(await usesOf(other.id)).toBe(0);
  });

  it('bypass: admitted at once past whoever waits when a slot is free; at the head of the room when full', async () => {
    // One admission per 15 s tick after sale start: a crowd keeps waiting while a slot is free.
    const saleStartsAt = new Date(Date.now() + 3000).toISOString();
    const slow = { maxActive: 2, admitPerTick: 1, tickMs: 15_000, sessionTtlSeconds: 600 };
    const ev: EventDetail = await createTestEvent(gwA.url, admin.accessToken, { saleStartsAt, admission: slow });
    const crowd = await clients(3);
    for (const c of crowd) expect((await c.queueJoin({ eventId: ev.id })).ok).toBe(true);
    const [bypass] = await codesFor(ev.id, 'bypass', 1, 1);
    const [vip] = await clients(1);
    // Before the sale the holder waits at the head of the pre-queue.
    const early = await (vip as EventlyClient).queueJoin({ eventId: ev.id, accessCode: bypass as string });
    expect(early.ok && early.data).toMatchObject({ state: 'waiting', position: null });
    const waitForAdmissions = async (n: number) => {
      for (let i = 0; i < 600; i++) {
        const states = await Promise.all([vip, ...crowd].map((c) => (c as EventlyClient).queueStatus({ eventId: ev.id })));
        const admitted = states.filter((s) => s.ok && s.data.state === 'admitted');
        if (admitted.length >= n) return states;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no admission');
    };
    // At sale start the first admission goes to the code holder, ahead of the shuffled crowd.
    const states = await waitForAdmissions(1);
    expect(states[0]?.ok && states[0].data.state).toBe('admitted');
    expect(states.filter((s) => s.ok && s.data.state === 'admitted')).toHaveLength(1);

    // One slot left, two still waiting: a second code holder is admitted at once.
    const [, late] = await clients(2);
    const [code2] = await codesFor(ev.id, 'bypass', 1, 1);
    const now = await (late as EventlyClient).queueJoin({ eventId: ev.id, accessCode: code2 as string });
    expect(now.ok && now.data.state).toBe('admitted');
    // Full (2 of 2): the next holder waits at the head, ahead of the crowd that came first.
    const [third] = await codesFor(ev.id, 'bypass', 1, 1);
    const [last] = await clients(1);
    const head = await (last as EventlyClient).queueJoin({ eventId: ev.id, accessCode: third as string });
    expect(head.ok && head.data).toMatchObject({ state: 'waiting', position: 1, ahead: 0 });
    const crowdPositions = await Promise.all(crowd.map((c) => c.queueStatus({ eventId: ev.id })));
    expect(crowdPositions.map((s) => s.ok && s.data.state === 'waiting' && s.data.position).sort()).toEqual([2, 3, 4]);
  });

  it('presale: holders get in and buy from presaleStartsAt, everyone else waits for the sale', async () => {
    const saleStartsAt = new Date(Date.now() + 3_600_000).toISOString();
    const presaleStartsAt = new Date(Date.now() - 60_000).toISOString();
    const ev = await createTestEvent(gwA.url, admin.accessToken, { saleStartsAt, presaleStartsAt, admission: OPEN_ADMISSION });
    const [code] = await codesFor(ev.id, 'presale', 1, 1);
    const [holder, plain] = await clients(2);
    const joined = await (holder as EventlyClient).queueJoin({ eventId: ev.id, accessCode: code as string });
    expect(joined.ok && joined.data.state).toBe('admitted');
    if (!joined.ok || joined.data.state !== 'admitted') return;
    const held = await (holder as EventlyClient).seatsHold({
      eventId: ev.id,
      admissionToken: joined.data.admissionToken,
      idempotencyKey: 'presale-hold',
      quantity: 2,
    });
    expect(held.ok, JSON.stringify(held)).toBe(true);
    if (!held.ok) return;
    const bought = await (holder as EventlyClient).holdConfirm({
      holdId: held.data.holdId,
      idempotencyKey: 'presale-buy',
      payment: { method: 'mock' },
    });
    expect(bought.ok, JSON.stringify(bought)).toBe(true);
    const waiting = await (plain as EventlyClient).queueJoin({ eventId: ev.id });
    expect(waiting.ok && waiting.data).toMatchObject({ state: 'waiting', position: null });

    // A presale that has not begun: SALE_NOT_OPEN, the code stays unused.
    const later = await createTestEvent(gwA.url, admin.accessToken, {
      saleStartsAt,
      presaleStartsAt: new Date(Date.now() + 1_800_000).toISOString(),
      admission: OPEN_ADMISSION,
    });
    const [early] = await codesFor(later.id, 'presale');
    const tooEarly = await (plain as EventlyClient).queueJoin({ eventId: later.id, accessCode: early as string });
    expect(!tooEarly.ok && tooEarly.error.code).toBe('SALE_NOT_OPEN');
    expect(await usesOf(later.id)).toBe(0);
    const status = await (plain as EventlyClient).queueStatus({ eventId: later.id });
    expect(status.ok && status.data).toEqual({ state: 'none' });
  });
});
