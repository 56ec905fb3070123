import { beforeAll, describe, expect, it } from 'vitest';
import { http, loginAdmin } from '../support/http-client.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv, metricsAuth, type TestEnv } from '../support/test-env.js';

const APP = 'https://tickets.example.test';
const EVIL = 'https://evil.example.test';

let t: TestEnv;
let gw: StartedProcess;
beforeAll(async () => {
  t = await createTestEnv({ CORS_ORIGINS: `${APP}, http://localhost:5173` });
  gw = await startGatewayProcess(t.env);
});

const preflight = (path: string, origin: string, method = 'POST', headers = 'content-type, authorization') =>
  fetch(gw.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });

describe('CORS', () => {
  it('answers a preflight from a configured origin with the allowed methods and headers', async () => {
    const res = await preflight('/api/auth/login', APP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(APP);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(Number(res.headers.get('access-control-max-age'))).toBeGreaterThan(0);
    const patch = await preflight('/api/admin/events/00000000-0000-4000-8000-000000000000', 'http://localhost:5173', 'PATCH');
    expect(patch.status).toBe(204);
    expect(patch.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('refuses a preflight from another origin, for an unknown method or header', async () => {
    for (const res of [
      await preflight('/api/auth/login', EVIL),
      await preflight('/api/auth/login', APP, 'PUT'),
      await preflight('/api/auth/login', APP, 'POST', 'x-evil'),
      await preflight('/api/auth/login', `${APP}.evil.test`),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
    }
  });

  it('lets a configured origin read replies (and request ids), never another origin', async () => {
    const mine = await http(gw.url, 'GET', '/api/events', { headers: { origin: APP } });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('access-control-allow-origin')).toBe(APP);
    expect(mine.headers.get('access-control-expose-headers')).toContain('x-request-id');
    expect(mine.headers.get('vary')).toContain('Origin');
    const theirs = await http(gw.url, 'GET', '/api/events', { headers: { origin: EVIL } });
    expect(theirs.headers.get('access-control-allow-origin')).toBeNull();
    const failed = await http(gw.url, 'POST', '/api/auth/login', {
      headers: { origin: APP },
      body: { email: 'x', password: 'y' },
    });
    expect(failed.status).toBe(401);
    expect(failed.headers.get('access-control-allow-origin')).toBe(APP);
  });

  it('is off without CORS_ORIGINS: no allow headers for anyone', async () => {
    const plain = await startGatewayProcess({ ...t.env, CORS_ORIGINS: '' });
    const res = await fetch(`${plain.url}/api/auth/login`, {
      method: 'OPTIONS',
      headers: { origin: APP, 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    await plain.stop();
  });
});

describe('security headers', () => {
  it.each([
    ['a JSON reply', '/api/events'],
    ['an error', '/api/events/not-a-uuid'],
    ['an unknown route', '/nope'],
    ['the health check', '/health'],
  ])('come with %s', async (_what, path) => {
    const res = await http(gw.url, 'GET', path);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
  });
});

describe('/metrics', () => {
  it('needs the bearer token on the API port', async () => {
    expect((await http(gw.url, 'GET', '/metrics')).status).toBe(401);
    expect((await http(gw.url, 'GET', '/metrics', { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(
      401,
    );
    const admin = await loginAdmin(gw.url);
    expect((await http(gw.url, 'GET', '/metrics', { token: admin.accessToken })).status).toBe(401);
    const ok = await http(gw.url, 'GET', '/metrics', { headers: metricsAuth });
    expect(ok.status).toBe(200);
    expect(String(ok.body)).toContain('evently_socket_connections');
  });

  it('is off on the API port without a token, and served on METRICS_PORT when that is set', async () => {
    const separate = await startGatewayProcess({ ...t.env, METRICS_TOKEN: '', METRICS_PORT: '0' });
    expect((await http(separate.url, 'GET', '/metrics')).status).toBe(404);
    const ready = JSON.parse(
      separate
        .output()
        .split('\n')
        .find((l) => l.startsWith('{"msg":"ready"')) as string,
    );
    expect(ready.metricsPort).toBeGreaterThan(0);
    expect(ready.metricsPort).not.toBe(separate.port);
    const scraped = await http(`http://127.0.0.1:${ready.metricsPort}`, 'GET', '/metrics');
    expect(scraped.status).toBe(200);
    expect(String(scraped.body)).toContain('evently_http_request_seconds');
    await separate.stop();
  });
});
