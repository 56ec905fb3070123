import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admit, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { launchBrowser, openPage, screenshot, signIn } from '../support/launch-browser.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { startTcpProxy } from '../support/tcp-proxy.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * PROTOCOL v1.2 "Picking up where you left off", in Chromium: the page asks me:state on load and
 * on every reconnect, so a reload, a second tab, an offer and a dead gateway lose nothing.
 */
let browser: Browser;
let t: TestEnv;
let gw1: StartedProcess;
let gw2: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await createTestEnv({ QUEUE_POSITION_PUSH_MS: '200', ADMISSION_RECONCILE_MS: '200', WAITLIST_OFFER_TTL_SECONDS: '300' });
  [gw1, gw2] = await Promise.all([startGatewayProcess(t.env), startGatewayProcess(t.env), startWorkerProcess(t.env)]);
  adminToken = (await loginAdmin(gw2.url)).accessToken;
}, 180_000);

/** Seconds the hold panel says are left ("Reserved for 4:59 more"). */
async function secondsLeft(page: Page): Promise<number> {
  const text = (await page.getByTestId('hold-countdown').textContent()) ?? '';
  const m = /(\d+):(\d\d)/.exec(text);
  if (!m) throw new Error(`no countdown in "${text}"`);
  return Number(m[1]) * 60 + Number(m[2]);
}

describe('a buyer who reloads, opens a second tab or loses a gateway keeps everything', () => {
  it('offers an open waitlist offer again after a reload', async () => {
    const event = await createTestEvent(gw2.url, adminToken, {
      name: 'One Seat Show',
      admission: OPEN_ADMISSION,
      sections: [{ name: 'A', priceCents: 3000, rows: 1, seatsPerRow: 1 }],
    });
    const holder = await connectClient(gw2.url, (await registerUser(gw2.url)).accessToken);
    const admission = await admit(holder, event.id);
    const held = await holder.seatsHold({ eventId: event.id, admissionToken: admission, idempotencyKey: 'k1', quantity: 1 });
    if (!held.ok) throw new Error(JSON.stringify(held.error));

    const fan = await registerUser(gw2.url, 'Waitlist Wendy');
    const w = await openPage(browser, gw2.url);
    await signIn(w.page, fan.user.email, 'password-123', '/');
    // The catalog searches on the server: only this event matches, sold out or not.
    await w.page.getByLabel('Search').fill('One Seat');
    await w.page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => w.page.getByTestId('event-card').count()).toBe(1);
    await w.page.getByLabel('Seats available only').check();
    await w.page.getByRole('button', { name: 'Search' }).click();
    await w.page.getByTestId('no-events').waitFor();
    await w.page.getByLabel('Seats available only').uncheck();
    await w.page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => w.page.getByTestId('event-card').count()).toBe(1);
    await screenshot(w.page, '43-catalog-search');
    await w.page.getByRole('link', { name: 'One Seat Show' }).click();
    await w.page.getByRole('button', { name: 'Join the waitlist' }).click();
    await w.page.getByTestId('waitlist-position').waitFor();
    // The seat comes free while the page is open; then the page reloads.
    await holder.queueLeave({ eventId: event.id });
    await holder.holdRelease({ holdId: held.data.holdId });
    await w.page.getByTestId('waitlist-offer').waitFor({ timeout: 20_000 });
    await w.page.reload();
    await w.page.getByTestId('waitlist-offer').waitFor({ timeout: 20_000 });
    await w.page.getByTestId('hold-panel').waitFor();
    expect(await secondsLeft(w.page)).toBeGreaterThan(200);
    await screenshot(w.page, '41-offer-after-reload');
    expect(w.errors).toEqual([]);
  });

  it('works on a phone: no sideways scroll, a map zoomed by pinch, panned by a finger and tapped', async () => {
    const event = await createTestEvent(gw2.url, adminToken, {
      name: 'Phone Gala',
      admission: OPEN_ADMISSION,
      sections: [{ name: 'Floor', priceCents: 2000, rows: 14, seatsPerRow: 25 }],
    });
    const buyer = await registerUser(gw2.url, 'Phone Pat');
    const context = await browser.newContext({
      baseURL: gw2.url,
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const sideways = () =>
      page.evaluate(() => {
        const g = globalThis as unknown as { document: { documentElement: { scrollWidth: number } }; innerWidth: number };
        return g.document.documentElement.scrollWidth - g.innerWidth;
      });
    await signIn(page, buyer.user.email, 'password-123', '/');
    expect(await sideways()).toBeLessThanOrEqual(0);
    const signOut = await page
      .getByRole('button', { name: 'Sign out' })
      .or(page.getByRole('link', { name: 'Sign out' }))
      .boundingBox();
    expect(signOut && signOut.x + signOut.width).toBeLessThanOrEqual(390);
    await page.goto(`/events/${event.id}`);
    await page.getByRole('button', { name: 'Join the waiting room' }).tap();
    const map = page.getByTestId('seat-map');
    await map.waitFor({ timeout: 20_000 });
    expect(await sideways()).toBeLessThanOrEqual(0);

    // Two fingers spread apart over the map: it zooms (the page itself does not).
    await map.scrollIntoViewIfNeeded();
    const box = (await map.boundingBox())!;
    const cdp = await context.newCDPSession(page);
    const cx = box.x + box.width / 2;
    const cy = box.y + Math.min(box.height, 200) / 2;
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', spread: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints:
          type === 'touchEnd'
            ? []
            : [
                { x: cx - spread, y: cy, id: 1 },
                { x: cx + spread, y: cy, id: 2 },
              ],
      });
    await touch('touchStart', 20);
    for (const spread of [40, 60, 80, 100]) await touch('touchMove', spread);
    await touch('touchEnd', 0);
    await expect
      .poll(async () => Number.parseInt((await page.getByTestId('zoom-level').textContent()) ?? '0', 10))
      .toBeGreaterThanOrEqual(300);
    expect(await sideways()).toBeLessThanOrEqual(0);
    // One finger drags the map: its box scrolls, not the page.
    const scroll = () => map.evaluate((el) => el.scrollLeft + el.scrollTop);
    await map.evaluate((el) => {
      el.scrollLeft = 0;
      el.scrollTop = 0;
    });
    await map.scrollIntoViewIfNeeded();
    const now = (await map.boundingBox())!;
    const drag = (type: 'touchStart' | 'touchMove' | 'touchEnd', dx: number, dy: number) =>
      cdp.send('Input.dispatchTouchEvent', {
        type,
        touchPoints: type === 'touchEnd' ? [] : [{ x: now.x + now.width / 2 + dx, y: now.y + 100 + dy, id: 3 }],
      });
    await drag('touchStart', 0, 0);
    for (let i = 1; i <= 10; i++) await drag('touchMove', -12 * i, -6 * i);
    await drag('touchEnd', 0, 0);
    await expect.poll(scroll).toBeGreaterThan(0);
    // The drag leaves a fling going; a tap during a fling only stops it (no click, as on a phone).
    // Wait until the map stands still, then back to the corner (and still), then a tap on the first
    // seat, now big enough for a finger.
    const standStill = async () => {
      let last = -1;
      await expect
        .poll(async () => {
          const [a, b] = [await scroll(), await new Promise((r) => setTimeout(r, 150)).then(scroll)];
          const still = a === b && b === last;
          last = b;
          return still;
        })
        .toBe(true);
    };
    await standStill();
    await map.evaluate((el) => {
      el.scrollLeft = 0;
      el.scrollTop = 0;
    });
    await standStill();
    expect(await scroll()).toBe(0);
    const canvas = (await map.locator('canvas').boundingBox())!;
    const cell = Math.min(22 * 4, Math.floor((canvas.width - 16) / 25));
    expect(cell).toBeGreaterThanOrEqual(24);
    await page.touchscreen.tap(canvas.x + 8 + cell / 2, canvas.y + 22 + cell / 2);
    await expect.poll(() => page.getByTestId('selected-seats').locator('li').count()).toBe(1);
    expect(await page.getByTestId('selected-seats').textContent()).toContain('Floor row 1 seat 1');
    await screenshot(page, '44-phone-seat-map');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('brings the hold back after a reload and in a second tab, keeps it through a SIGKILLed gateway, and pays', async () => {
    const event = await createTestEvent(gw2.url, adminToken, {
      name: 'Resume Night',
      admission: OPEN_ADMISSION,
      holdTtlSeconds: 600,
      sections: [{ name: 'Stalls', priceCents: 4000, rows: 3, seatsPerRow: 10 }],
    });
    const buyer = await registerUser(gw1.url, 'Reload Rosa');
    // The page reaches gateway 1 through a balancer-like proxy that later sends it to gateway 2.
    const proxy = await startTcpProxy(gw1.port);
    const w = await openPage(browser, proxy.url);
    await signIn(w.page, buyer.user.email, 'password-123', `/events/${event.id}`);
    await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
    await w.page.getByTestId('seat-map').waitFor({ timeout: 20_000 });
    await w.page.getByLabel('Quantity').fill('2');
    await w.page.getByRole('button', { name: 'Find seats' }).click();
    await w.page.getByTestId('hold-panel').waitFor();
    const before = await secondsLeft(w.page);
    const heldAt = Date.now();

    await w.page.reload();
    await w.page.getByTestId('hold-panel').waitFor({ timeout: 20_000 });
    await expect.poll(() => w.page.getByTestId('seat-counts').textContent()).toBe('28 available · 2 held · 0 sold');
    // The same hold, counting down from where it was: never extended by the reload.
    const after = await secondsLeft(w.page);
    const elapsed = (Date.now() - heldAt) / 1000;
    expect(after).toBeLessThanOrEqual(before);
    expect(Math.abs(before - elapsed - after)).toBeLessThanOrEqual(2);
    await screenshot(w.page, '40-restored-hold');

    const tab = await w.context.newPage();
    await tab.goto(`/events/${event.id}`);
    await tab.getByTestId('hold-panel').waitFor({ timeout: 20_000 });
    expect(Math.abs((await secondsLeft(tab)) - (await secondsLeft(w.page)))).toBeLessThanOrEqual(1);
    await tab.close();

    // The page's gateway dies holding nothing but sockets; the balancer sends it to gateway 2.
    await gw1.kill();
    proxy.retarget(gw2.port);
    await w.page.getByTestId('reconnecting').waitFor({ state: 'detached', timeout: 30_000 });
    await w.page.getByTestId('hold-panel').waitFor();
    await w.page.getByRole('button', { name: 'Pay and confirm' }).click();
    const reference = await w.page.getByTestId('booking-reference').textContent({ timeout: 20_000 });
    expect(reference).toBeTruthy();

    await w.page.getByRole('link', { name: 'See my bookings' }).click();
    const booking = w.page.getByTestId('booking').filter({ hasText: reference as string });
    await expect.poll(() => booking.getByTestId('booking-event').textContent()).toBe('Resume Night');
    await expect.poll(() => booking.getByRole('listitem').count()).toBe(2);
    await screenshot(w.page, '42-my-bookings-with-events');
    expect(w.errors.filter((e) => !/net::ERR_|WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
