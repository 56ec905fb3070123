import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WEB_DIST } from '../../scripts/build-web-app.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin } from '../support/http-client.js';
import { launchBrowser, openPage } from '../support/launch-browser.js';
import { startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv } from '../support/test-env.js';

let browser: Browser;
const servers: Server[] = [];
afterAll(() => {
  for (const s of servers) s.close();
});

/** The built app on a plain static host of its own origin, told where the gateway is by its meta tag. */
async function staticHost(): Promise<{ url: string; pointAt(api: string): void }> {
  let api = '';
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const file = path.join(WEB_DIST, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
    if (url.pathname.startsWith('/assets/') && existsSync(file)) {
      res.writeHead(200, { 'content-type': file.endsWith('.css') ? 'text/css' : 'text/javascript' });
      res.end(readFileSync(file));
      return;
    }
    const html = readFileSync(path.join(WEB_DIST, 'index.html'), 'utf8').replace(
      '<meta name="evently-api-url" content="" />',
      `<meta name="evently-api-url" content="${api}" />`,
    );
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    pointAt: (u) => {
      api = u;
    },
  };
}

beforeAll(async () => {
  browser = await launchBrowser();
}, 180_000);

describe('the web app hosted on another origin', () => {
  it('works against a gateway that lists its origin in CORS_ORIGINS, and is refused by one that does not', async () => {
    const allowedHost = await staticHost();
    const otherHost = await staticHost();
    const t = await createTestEnv({ CORS_ORIGINS: allowedHost.url, ADMISSION_RECONCILE_MS: '200' });
    const [gw] = await Promise.all([startGatewayProcess(t.env), startWorkerProcess(t.env)]);
    allowedHost.pointAt(gw!.url);
    otherHost.pointAt(gw!.url);
    await createTestEvent(gw!.url, (await loginAdmin(gw!.url)).accessToken, {
      name: 'Elsewhere Live',
      admission: OPEN_ADMISSION,
    });

    const { page, errors } = await openPage(browser, allowedHost.url);
    await page.goto('/');
    await page.getByRole('link', { name: 'Elsewhere Live' }).click();
    await page.locator('.notice').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Create an account' }).click();
    await page.getByLabel('Name').fill('Far Away');
    await page.getByLabel('Email').fill(`far-${Date.now()}@evently.test`);
    await page.getByLabel('Password').fill('password-123');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('button', { name: 'Join the waiting room' }).click();
    await expect
      .poll(() => page.getByTestId('seat-counts').textContent(), { timeout: 20_000 })
      .toBe('20 available · 0 held · 0 sold');
    expect(page.url().startsWith(allowedHost.url)).toBe(true);
    expect(errors).toEqual([]);

    // Same app, same gateway, an origin the gateway does not list: the browser refuses the API.
    const refused = await openPage(browser, otherHost.url);
    await refused.page.goto('/');
    await expect.poll(() => refused.page.getByRole('alert').textContent()).toContain('The server cannot be reached');
    expect(refused.errors.some((e) => /CORS|Access-Control-Allow-Origin/.test(e))).toBe(true);
  });
});
