import { beforeAll, describe, expect, it } from 'vitest';
import { http, registerUser } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let userToken: string;
beforeAll(async () => {
  const t = await createTestEnv();
  gw = await startGatewayProcess(t.env);
  userToken = (await registerUser(gw.url)).accessToken;
});

/** Percent-encodings `decodeURIComponent` throws on: truncated, invalid UTF-8, lone surrogates. */
const badEncodings = ['%E0%A4%A', '%', '%zz', '%C0%80', '%ED%A0%80', 'a%', '%%30'];

describe('hostile URLs', () => {
  it.each(
    badEncodings.flatMap((bad) => [
      ['GET', `/api/events/${bad}`],
      ['PATCH', `/api/admin/events/${bad}`],
      ['DELETE', `/api/admin/events/${bad}`],
    ]),
  )('%s %s gets a 4xx and the gateway keeps serving', async (method, path) => {
    const res = await http(gw.url, method, path, { token: userToken, body: method === 'PATCH' ? { name: 'x' } : undefined });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(res.body.error.code).toMatch(/^(VALIDATION_FAILED|NOT_FOUND|UNAUTHENTICATED|FORBIDDEN)$/);
    const health = await http(gw.url, 'GET', '/health');
    expect(health.status).toBe(200);
  });

  it('refuses a malformed admin path parameter before the role check with VALIDATION_FAILED, anonymously too', async () => {
    const res = await http(gw.url, 'DELETE', '/api/admin/events/%E0%A4%A');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(gw.child.exitCode).toBeNull();
  });

  it('treats malformed query strings as data, not a crash', async () => {
    const res = await http(gw.url, 'GET', '/api/events?limit=%E0%A4%A');
    expect(res.status).toBe(400);
    expect((await http(gw.url, 'GET', '/health')).status).toBe(200);
  });
});
