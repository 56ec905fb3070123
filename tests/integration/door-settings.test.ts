import { beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let adminToken: string;
const base = { maxActive: 10, admitPerTick: 2, tickMs: 500, sessionTtlSeconds: 120 };

beforeAll(async () => {
  const t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  adminToken = (await loginAdmin(gw.url)).accessToken;
});

function data<T>(ack: { ok: true; data: T } | { ok: false; error: unknown }): T {
  if (!ack.ok) throw new Error(`command failed: ${JSON.stringify(ack.error)}`);
  return ack.data;
}

describe('the door settings of an event (v1.2)', () => {
  it('default off, set at create, changed by PATCH and by queue:control configure, returned everywhere', async () => {
    const plain = await createTestEvent(gw.url, adminToken);
    expect(plain.admission).toMatchObject({ challenge: { required: false }, requireVerifiedEmail: false });

    const ev = await createTestEvent(gw.url, adminToken, {
      admission: { ...base, challenge: { required: true }, requireVerifiedEmail: true },
    });
    expect(ev.admission).toMatchObject({ ...base, challenge: { required: true }, requireVerifiedEmail: true });
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.admission).toEqual(ev.admission);

    const patched = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, {
      body: { admission: { challenge: { required: false } } },
      token: adminToken,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.admission).toMatchObject({ ...base, challenge: { required: false }, requireVerifiedEmail: true });

    const admin = await connectAdmin(gw.url, adminToken);
    const configured = data(
      await admin.queueControl({
        eventId: ev.id,
        action: 'configure',
        challenge: { required: true },
        requireVerifiedEmail: false,
      }),
    );
    expect(configured).toMatchObject({
      eventId: ev.id,
      challenge: { required: true },
      requireVerifiedEmail: false,
      maxActive: 10,
    });
    // Pause keeps them.
    expect(data(await admin.queueControl({ eventId: ev.id, action: 'pause' }))).toMatchObject({
      challenge: { required: true },
      requireVerifiedEmail: false,
    });
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.admission).toMatchObject({
      challenge: { required: true },
      requireVerifiedEmail: false,
    });
  });

  it('refuses malformed door settings and changes nothing', async () => {
    const ev = await createTestEvent(gw.url, adminToken, { admission: base });
    for (const admission of [
      { challenge: true },
      { challenge: { required: 'yes' } },
      { challenge: { required: true, x: 1 } },
      { requireVerifiedEmail: 1 },
    ]) {
      const res = await http(gw.url, 'PATCH', `/api/admin/events/${ev.id}`, { body: { admission }, token: adminToken });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const admin = await connectAdmin(gw.url, adminToken);
    const bad = await admin.queueControl({ eventId: ev.id, action: 'configure', challenge: { required: 1 } } as never);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect((await http(gw.url, 'GET', `/api/events/${ev.id}`)).body.admission).toMatchObject({
      challenge: { required: false },
      requireVerifiedEmail: false,
    });
  });

  it('user objects carry emailVerified (false until verified) on register, login and refresh', async () => {
    const reg = await registerUser(gw.url);
    expect(reg.user.emailVerified).toBe(false);
    const login = await http(gw.url, 'POST', '/api/auth/login', { body: { email: reg.user.email, password: 'password-123' } });
    expect(login.body.user).toMatchObject({ id: reg.user.id, emailVerified: false });
    const refreshed = await http(gw.url, 'POST', '/api/auth/refresh', { body: { refreshToken: login.body.refreshToken } });
    expect(refreshed.body.user).toMatchObject({ id: reg.user.id, emailVerified: false });
    const users = await http(gw.url, 'GET', `/api/admin/users?q=${encodeURIComponent(reg.user.email)}`, { token: adminToken });
    expect(users.body).toEqual([expect.objectContaining({ id: reg.user.id, emailVerified: false })]);
  });
});
