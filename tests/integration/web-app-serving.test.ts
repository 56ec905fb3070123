import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureWebAppBuilt, WEB_DIST } from '../../scripts/build-web-app.js';
import { type StartedProcess, startGatewayProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let gw: StartedProcess;
let script: string;

beforeAll(async () => {
  await ensureWebAppBuilt();
  script = readdirSync(path.join(WEB_DIST, 'assets')).find((f) => f.startsWith('index-') && f.endsWith('.js'))!;
  gw = await startGatewayProcess((await createTestEnv()).env);
}, 120_000);

/** A raw request: the path goes out exactly as written (fetch would normalise `..` away). */
function get(rawPath: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: gw.port, path: rawPath, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    },
  );
}

describe('the web app served by the gateway', () => {
  it('answers / and client routes with index.html, revalidated by ETag', async () => {
    const root = await get('/');
    expect(root.status).toBe(200);
    expect(root.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(root.headers['cache-control']).toBe('no-cache');
    expect(root.body.toString()).toContain('<div id="root"></div>');
    for (const route of ['/events/5b1f0f7e-1f0e-4c53-a3c4-2b1b7f0e9a11', '/bookings', '/admin/events', '/login?next=/x']) {
      const r = await get(route);
      expect(r.status, route).toBe(200);
      expect(r.body.equals(root.body), route).toBe(true);
    }
    const again = await get('/', { 'if-none-match': String(root.headers.etag) });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });

  it('serves hashed assets with their type, gzip when asked, cached for a year', async () => {
    const plain = await get(`/assets/${script}`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await get(`/assets/${script}`, { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 2);
  });

  it('never leaves the build folder, whatever the path says', async () => {
    for (const p of [
      '/../package.json',
      '/assets/../../../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/assets/%2e%2e%2f%2e%2e%2fvite.config.ts',
      '/..%5c..%5cpackage.json',
      '/index.html%00.js',
      '/src/main.tsx',
      '/vite.config.ts',
    ]) {
      const r = await get(p);
      const text = r.body.toString();
      expect(text, p).not.toContain('"name": "evently"');
      expect(text, p).not.toContain('defineConfig');
      expect(text, p).not.toContain('createRoot');
      // Either a JSON 404 or the app's own index.html (a client route), nothing else.
      if (r.status === 200) expect(text, p).toContain('<div id="root"></div>');
      else expect(r.status, p).toBe(404);
    }
    const missing = await get('/favicon.ico');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-type']).toContain('application/json');
  });

  it('leaves the API, operations and Socket.IO routes alone', async () => {
    const api = await get('/api/no-such-thing');
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body.toString())).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(JSON.parse((await get('/api/events')).body.toString())).toEqual([]);
    expect((await get('/health')).headers['content-type']).toContain('application/json');
    const sio = await get('/socket.io/?EIO=4&transport=polling');
    expect(sio.body.toString()).not.toContain('<div id="root">');
  });
});
