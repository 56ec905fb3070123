import { beforeAll, describe, expect, it } from 'vitest';
import { createAdminClient } from '../../core/contract/create-client.js';
import type { AuthReply } from '../../core/contract/http.js';
import { encodeCursor } from '../../core/domain/page-cursor.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectAdmin, connectClient, connectRefusal, nextPush } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { staffUser } from '../support/staff-user.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gwA: StartedProcess;
let gwB: StartedProcess;
let admin: AuthReply;

beforeAll(async () => {
  t = await createTestEnv({ ANALYTICS_INTERVAL_MS: '300' });
  [gwA, gwB] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env)]);
  await startWorkerProcess(t.env);
  admin = await loginAdmin(gwA.url);
});

const login = (url: string, email: string) =>
  http<AuthReply>(url, 'POST', '/api/auth/login', { body: { email, password: 'password-123' } });

describe('admin user management', () => {
  it('lists accounts with role and created time, searches, filters by role and pages', async () => {
    const tag = `people-${Date.now()}`;
    const made: AuthReply[] = [];
    for (let i = 0; i < 3; i++) made.push(await registerUser(gwA.url, `${tag} ${i}`));
    await http(gwA.url, 'PATCH', `/api/admin/users/${made[1]?.user.id}`, {
      body: { role: 'organizer' },
      token: admin.accessToken,
    });
    const found = await http(gwA.url, 'GET', `/api/admin/users?q=${tag}`, { token: admin.accessToken });
    expect(found.status).toBe(200);
    expect(found.body.map((u: any) => [u.name, u.role])).toEqual([
      [`${tag} 0`, 'user'],
      [`${tag} 1`, 'organizer'],
      [`${tag} 2`, 'user'],
    ]);
    expect(Date.parse(found.body[0].createdAt)).not.toBeNaN();
    expect(found.body[0]).not.toHaveProperty('passwordHash');
    expect(Object.keys(found.body[0]).sort()).toEqual(['createdAt', 'email', 'emailVerified', 'id', 'name', 'role']);
    const byEmail = await http(
      gwA.url,
      'GET',
      `/api/admin/users?q=${encodeURIComponent(made[2]?.user.email.toUpperCase() ?? '')}`,
      {
        token: admin.accessToken,
      },
    );
    expect(byEmail.body.map((u: any) => u.id)).toEqual([made[2]?.user.id]);
    const organizers = await http(gwA.url, 'GET', `/api/admin/users?q=${tag}&role=organizer`, { token: admin.accessToken });
    expect(organizers.body.map((u: any) => u.id)).toEqual([made[1]?.user.id]);
    const admins = await http(gwA.url, 'GET', '/api/admin/users?role=admin', { token: admin.accessToken });
    expect(admins.body.map((u: any) => u.id)).toEqual([admin.user.id]);

    const page1 = await http(gwA.url, 'GET', `/api/admin/users?q=${tag}&limit=2`, { token: admin.accessToken });
    expect(page1.body).toHaveLength(2);
    const next = /^<([^>]+)>; rel="next"$/.exec(page1.headers.get('link') ?? '')?.[1] as string;
    const page2 = await http(gwA.url, 'GET', next, { token: admin.accessToken });
    expect(page2.body.map((u: any) => u.name)).toEqual([`${tag} 2`]);
    expect(page2.headers.get('link')).toBeNull();
  });

  it('refuses non-admins and bad input, changing nothing', async () => {
    const organizer = await staffUser(gwA.url, t.databaseUrl, 'organizer');
    const user = await registerUser(gwA.url);
    for (const [who, status] of [
      [organizer.accessToken, 403],
      [user.accessToken, 403],
      [undefined, 401],
    ] as const) {
      expect((await http(gwA.url, 'GET', '/api/admin/users', { token: who })).status).toBe(status);
      const patch = await http(gwA.url, 'PATCH', `/api/admin/users/${user.user.id}`, { body: { role: 'admin' }, token: who });
      expect(patch.status).toBe(status);
    }
    for (const query of [
      'role=root',
      'limit=0',
      'limit=x',
      'cursor=abc',
      `cursor=${encodeCursor(['now', 'me'])}`,
      'q=',
      'password=x',
    ]) {
      const res = await http(gwA.url, 'GET', `/api/admin/users?${query}`, { token: admin.accessToken });
      expect([query, res.status, res.body?.error?.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
    for (const body of [{}, { role: 'root' }, { role: 'admin', email: 'x@y.z' }, { role: null }, 'admin']) {
      const res = await http(gwA.url, 'PATCH', `/api/admin/users/${user.user.id}`, { body, token: admin.accessToken });
      expect([body, res.status, res.body?.error?.code]).toEqual([body, 400, 'VALIDATION_FAILED']);
    }
    const missing = await http(gwA.url, 'PATCH', '/api/admin/users/00000000-0000-4000-8000-000000000000', {
      body: { role: 'admin' },
      token: admin.accessToken,
    });
    expect([missing.status, missing.body.error.code]).toEqual([404, 'NOT_FOUND']);
    const self = await http(gwA.url, 'PATCH', `/api/admin/users/${admin.user.id}`, {
      body: { role: 'user' },
      token: admin.accessToken,
    });
    expect([self.status, self.body.error.code]).toEqual([409, 'CONFLICT']);
    const roles = await http(gwA.url, 'GET', `/api/admin/users?q=${encodeURIComponent(user.user.email)}`, {
      token: admin.accessToken,
    });
    expect(roles.body[0].role).toBe('user');
    // Nothing ended: the user's refresh token still works.
    expect((await http(gwA.url, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(200);
  });

  it('a role change ends the sessions: refresh revoked, old token refused, live sockets told and closed on every gateway', async () => {
    const user = await registerUser(gwA.url);
    const onA = await connectClient(gwA.url, user.accessToken, { reconnection: false });
    const onB = await connectClient(gwB.url, user.accessToken, { reconnection: false });
    const told = nextPush(onB, 'session:ended');
    const closed = [onA, onB].map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));
    const changed = await http(gwA.url, 'PATCH', `/api/admin/users/${user.user.id}`, {
      body: { role: 'organizer' },
      token: admin.accessToken,
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: user.user.id, role: 'organizer', email: user.user.email });
    expect(await told).toEqual({ reason: 'role_changed' });
    expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);
    expect((await http(gwB.url, 'POST', '/api/auth/refresh', { body: { refreshToken: user.refreshToken } })).status).toBe(401);
    expect((await http(gwB.url, 'GET', '/api/me/bookings', { token: user.accessToken })).status).toBe(401);

    // Signed in again, the account works with its new role.
    const again = await waitUntil('a fresh login', async () => {
      const res = await login(gwB.url, user.user.email);
      return res.status === 200 && res.body.user.role === 'organizer' ? res.body : null;
    });
    const venue = await http(gwB.url, 'POST', '/api/admin/venues', {
      body: { name: 'Promoted', sections: [{ name: 'A', priceCents: 1, rows: 1, seatsPerRow: 1 }] },
      token: again.accessToken,
    });
    expect(venue.status).toBe(201);
    const audit = await http(gwA.url, 'GET', `/api/admin/users?q=${encodeURIComponent(user.user.email)}`, {
      token: admin.accessToken,
    });
    expect(audit.body[0].role).toBe('organizer');
  });
});

describe('organizers on /admin and in analytics: their own events only', () => {
  it("subscribes to and steers its own event, FORBIDDEN on anyone else's, and loses /admin when demoted", async () => {
    const org = await staffUser(gwA.url, t.databaseUrl, 'organizer', 'Org');
    const rival = await staffUser(gwA.url, t.databaseUrl, 'organizer', 'Rival');
    const mine = await createTestEvent(gwA.url, org.accessToken, { name: 'Mine' });
    const theirs = await createTestEvent(gwA.url, rival.accessToken, { name: 'Theirs' });
    const adminEvent = await createTestEvent(gwA.url, admin.accessToken, { name: 'Admins', admission: OPEN_ADMISSION });

    // A sale on the admin's event puts it in every snapshot's top events: organizers must not see it.
    const seller = await admittedUser(gwA.url, adminEvent.id);
    const held = await seller.client.seatsHold({
      eventId: adminEvent.id,
      admissionToken: seller.admissionToken,
      idempotencyKey: 'people-hold',
      quantity: 2,
    });
    if (!held.ok) throw new Error(JSON.stringify(held.error));
    const sold = await seller.client.holdConfirm({
      holdId: held.data.holdId,
      idempotencyKey: 'people-c',
      payment: { method: 'mock' },
    });
    expect(sold.ok).toBe(true);
    const adminSocket = await connectAdmin(gwA.url, admin.accessToken);
    // ...and the gateways' connection reports to reach the snapshot (they come on their own timer),
    // so that the organizer below is shown none of the figures that exist.
    await waitUntil('the sale to reach the top events and the connections to be reported', async () => {
      const snap = await adminSocket.analyticsSubscribe({ eventId: mine.id });
      return snap.ok && snap.data.topEvents.some((e) => e.eventId === adminEvent.id) && snap.data.connections > 0;
    });

    const socket = await connectAdmin(gwB.url, org.accessToken, { reconnection: false });
    const own = await socket.analyticsSubscribe({ eventId: mine.id });
    expect(own.ok, JSON.stringify(own)).toBe(true);
    if (!own.ok) return;
    expect(own.data.topEvents.every((e) => e.eventId === mine.id)).toBe(true);
    // The platform's connection figures are the admins' (above): an organizer sees none of them.
    expect(own.data.connections).toBe(0);
    expect(own.data).not.toHaveProperty('connectionsByInstance');
    const update = await new Promise<any>((resolve) => socket.on('analytics:update', resolve));
    expect(update.eventId).toBe(mine.id);
    expect(update.topEvents.every((e: any) => e.eventId === mine.id)).toBe(true);
    expect(update.connections).toBe(0);
    expect(update).not.toHaveProperty('connectionsByInstance');

    for (const payload of [{}, { eventId: theirs.id }, { eventId: adminEvent.id }]) {
      const res = await socket.analyticsSubscribe(payload);
      expect(res.ok === false && res.error.code).toBe('FORBIDDEN');
    }
    const missing = await socket.analyticsSubscribe({ eventId: '00000000-0000-4000-8000-000000000000' });
    expect(missing.ok === false && missing.error.code).toBe('NOT_FOUND');
    const steer = await socket.queueControl({ eventId: theirs.id, action: 'pause' });
    expect(steer.ok === false && steer.error.code).toBe('FORBIDDEN');
    const theirsNow = await http(gwA.url, 'GET', `/api/events/${theirs.id}`);
    expect(theirsNow.body.status).toBe('on_sale');
    const paused = await socket.queueControl({ eventId: mine.id, action: 'pause' });
    expect(paused.ok && paused.data).toMatchObject({ eventId: mine.id, paused: true });

    const report = await http(gwA.url, 'GET', `/api/admin/analytics?eventId=${mine.id}`, { token: org.accessToken });
    expect(report.status).toBe(200);
    expect(report.body.eventId).toBe(mine.id);
    expect(report.body.events.every((e: any) => e.eventId === mine.id)).toBe(true);
    expect(report.body.live === null || report.body.live.topEvents.every((e: any) => e.eventId === mine.id)).toBe(true);
    expect(
      report.body.live === null || (report.body.live.connections === 0 && !('connectionsByInstance' in report.body.live)),
    ).toBe(true);
    const ownAll = await http(gwA.url, 'GET', '/api/admin/analytics', { token: org.accessToken });
    expect(ownAll.status).toBe(200);
    expect(ownAll.body.events.every((e: any) => e.eventId === mine.id)).toBe(true);
    expect(ownAll.body.live).toBeNull();
    for (const query of [`?eventId=${theirs.id}`, `?eventId=${adminEvent.id}`]) {
      const res = await http(gwA.url, 'GET', `/api/admin/analytics${query}`, { token: org.accessToken });
      expect([query, res.status, res.body.error.code]).toEqual([query, 403, 'FORBIDDEN']);
    }
    const buyer = await registerUser(gwA.url);
    const refused = await connectRefusal(createAdminClient(gwA.url, buyer.accessToken, { reconnection: false }));
    expect(refused.data.code).toBe('FORBIDDEN');

    // Demoted: the /admin socket closes, and a fresh login no longer opens /admin.
    const closed = new Promise((resolve) => socket.socket.once('disconnect', resolve));
    await http(gwA.url, 'PATCH', `/api/admin/users/${org.user.id}`, { body: { role: 'user' }, token: admin.accessToken });
    expect(await closed).toBe('io server disconnect');
    const again = await waitUntil('a fresh login', async () => {
      const res = await login(gwA.url, org.user.email);
      return res.status === 200 ? res.body : null;
    });
    const err = await connectRefusal(createAdminClient(gwB.url, again.accessToken, { reconnection: false }));
    expect(err.data.code).toBe('FORBIDDEN');
    const patch = await http(gwA.url, 'PATCH', `/api/admin/events/${mine.id}`, { body: { name: 'x' }, token: again.accessToken });
    expect(patch.status).toBe(403);
  });
});
