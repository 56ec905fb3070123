import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthReply } from '../../core/contract/http.js';
import { admit, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, loginAdmin, registerUser } from '../support/http-client.js';
import { launchBrowser, openPage, screenshot, signIn, type WatchedPage } from '../support/launch-browser.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let t: TestEnv;
let gw1: StartedProcess;
let gw2: StartedProcess;
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
  // Access tokens of 10 s: the restart test outlives them, so the app must refresh to reconnect.
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '200', ADMISSION_RECONCILE_MS: '200', ACCESS_TOKEN_TTL_SECONDS: '10' });
  [gw1, gw2] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env), startWorkerProcess(t.env)]);
}, 180_000);

/** A signed-in buyer on `url` who joined the waiting room of the event. */
async function buyerAt(url: string, eventId: string, name: string): Promise<WatchedPage> {
  const session = await registerUser(url, name);
  const w = await openPage(browser, url);
  await signIn(w.page, session.user.email, 'password-123', `/events/${eventId}`);
  await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
  return w;
}

const counts = (page: Page) => page.getByTestId('seat-counts').textContent();
const syncMode = (page: Page) => page.evaluate(() => (globalThis as { __eventlySync?: { mode: string } }).__eventlySync?.mode);

describe('live seat maps in Chromium', () => {
  it('two browsers on two gateways see each other’s holds', async () => {
    // Tokens live 10 s here: a fresh admin login for each event.
    const event = await createTestEvent(gw1.url, (await loginAdmin(gw1.url)).accessToken, {
      sections: [{ name: 'A', priceCents: 5000, rows: 4, seatsPerRow: 10 }],
      admission: OPEN_ADMISSION,
    });
    const a = await buyerAt(gw1.url, event.id, 'Ada');
    const b = await buyerAt(gw2.url, event.id, 'Bo');
    for (const w of [a, b]) await expect.poll(() => counts(w.page), { timeout: 20_000 }).toBe('40 available · 0 held · 0 sold');

    // Ada holds the first seat by clicking it; Bo's map (other gateway) turns it held.
    const box = (await a.page.getByTestId('seat-map').locator('canvas').boundingBox())!;
    await a.page.mouse.click(box.x + 8 + 5, box.y + 22 + 5);
    await a.page.getByRole('button', { name: 'Hold 1 selected seat' }).click();
    await a.page.getByTestId('hold-panel').waitFor();
    const heldAt = Date.now();
    await expect.poll(() => counts(b.page), { timeout: 5000, interval: 20 }).toBe('39 available · 1 held · 0 sold');
    const aToB = Date.now() - heldAt;

    // Bo holds two best-available seats; Ada sees them.
    await b.page.getByLabel('Quantity').fill('2');
    await b.page.getByRole('button', { name: 'Find seats' }).click();
    await b.page.getByTestId('hold-panel').waitFor();
    const heldBAt = Date.now();
    await expect.poll(() => counts(a.page), { timeout: 5000, interval: 20 }).toBe('37 available · 3 held · 0 sold');
    const bToA = Date.now() - heldBAt;
    // The seat Ada holds reads as held to Bo's screen reader too.
    await b.page.getByTestId('seat-map').focus();
    await b.page.keyboard.press('ArrowRight');
    await b.page.keyboard.press('ArrowLeft');
    await expect.poll(() => b.page.getByTestId('seat-focus').textContent()).toBe('Section A, row 1, seat 1, $50.00, held');
    await screenshot(b.page, '11-seat-map-live');
    process.stdout.write(
      `hold seen by the other browser on the other gateway: ${aToB} ms and ${bToA} ms (seat map sync: ${await syncMode(a.page)})\n`,
    );
    expect([a.errors, b.errors]).toEqual([[], []]);
  });

  it('survives a gateway restart: reconnects with a refreshed token, keeps its queue place and resyncs the map', async () => {
    // Tokens live 10 s here: a fresh admin login for each event.
    const event = await createTestEvent(gw1.url, (await loginAdmin(gw1.url)).accessToken, {
      sections: [{ name: 'A', priceCents: 5000, rows: 2, seatsPerRow: 10 }],
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    const occupant = await registerUser(gw2.url, 'Occupant');
    const occupantAdmission = await admit(await connectClient(gw2.url, occupant.accessToken), event.id);
    // The page talks to gateway 1 through a balancer-like proxy, so it keeps its address across the restart.
    const proxy = await startTcpProxy(gw1.port);
    const w = await buyerAt(proxy.url, event.id, 'Restart Rita');
    const refreshes: string[] = [];
    w.page.on('request', (r) => {
      if (r.url().endsWith('/api/auth/refresh')) refreshes.push(r.url());
    });
    await w.page.getByTestId('queue-waiting').waitFor();
    expect(await w.page.getByTestId('queue-position').textContent()).toBe('1');

    // The page's gateway dies; while it is away the page's access token expires and a seat is held elsewhere.
    await gw1.kill();
    await w.page.getByTestId('reconnecting').waitFor({ timeout: 15_000 });
    await screenshot(w.page, '12-reconnecting');
    const expiresAtMs = await w.page.evaluate(() => {
      const token = JSON.parse((globalThis as any).localStorage.getItem('evently.session') ?? '{}').accessToken as string;
      return JSON.parse(atob(token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).exp * 1000;
    });
    // Tokens of 10 s also expire for this test's own client: take a fresh one the way the app does.
    let refreshToken = occupant.refreshToken;
    const freshClient = async () => {
      const r = await http<AuthReply>(gw2.url, 'POST', '/api/auth/refresh', { body: { refreshToken } });
      refreshToken = r.body.refreshToken;
      return connectClient(gw2.url, r.body.accessToken);
    };
    expect(
      await (await freshClient()).seatsHold({
        eventId: event.id,
        admissionToken: occupantAdmission,
        idempotencyKey: 'r1',
        quantity: 2,
      }),
    ).toMatchObject({ ok: true });
    await waitUntil('the page token to expire', () => Date.now() > expiresAtMs + 500, 30_000, 200);
    gw1 = await startGatewayProcess(t.env);
    proxy.retarget(gw1.port);

    await w.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => w.page.getByTestId('queue-position').textContent(), { timeout: 20_000 }).toBe('1');
    expect(refreshes.length).toBeGreaterThan(0);

    // The slot frees up: the admission reaches the reconnected page and the map shows the other's hold.
    expect(await (await freshClient()).queueLeave({ eventId: event.id })).toMatchObject({ ok: true });
    await expect.poll(() => counts(w.page), { timeout: 30_000 }).toBe('18 available · 2 held · 0 sold');
    // While its gateway is away the browser itself logs the failed connections; the app logs nothing.
    expect(w.errors.filter((e) => !/net::ERR_|WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
