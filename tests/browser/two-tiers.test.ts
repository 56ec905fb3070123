import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { loginAdmin, registerUser } from '../support/http-client.js';
import { launchBrowser, openPage, screenshot, signIn } from '../support/launch-browser.js';
import { type StartedProcess, startGatewayProcess, startWorkerProcess } from '../support/start-process.js';
import { createTestEnv, type TestEnv } from '../support/test-env.js';

/**
 * The web app on two tiers: the page comes from the queue tier; the admission names the shop
 * (another origin) and the seat map, the hold, the payment and a reload's me:state go there.
 */
let browser: Browser;
let t: TestEnv;
let queue: StartedProcess;
let shop: StartedProcess;
let adminToken: string;

beforeAll(async () => {
  browser = await launchBrowser();
  t = await createTestEnv();
  shop = await startGatewayProcess({ ...t.env, GATEWAY_ROLE: 'shop' });
  [queue] = await Promise.all([
    startGatewayProcess({ ...t.env, GATEWAY_ROLE: 'queue', SHOP_URL: shop.url }),
    startWorkerProcess({ ...t.env, SHOP_URL: shop.url }),
  ]);
  adminToken = (await loginAdmin(queue.url)).accessToken;
}, 180_000);

describe('the web app on a queue tier and a shop tier', () => {
  it('joins on the queue tier, holds at the shop, keeps the hold through a reload and pays there', async () => {
    const event = await createTestEvent(queue.url, adminToken, {
      name: 'Tiered Night',
      admission: OPEN_ADMISSION,
      sections: [{ name: 'Stalls', priceCents: 4000, rows: 2, seatsPerRow: 10 }],
    });
    const buyer = await registerUser(queue.url, 'Tiered Buyer');
    const { page, errors } = await openPage(browser, queue.url);
    await signIn(page, buyer.user.email, 'password-123', `/events/${event.id}`);
    await page.getByRole('button', { name: 'Join the waiting room' }).click();
    const map = page.getByTestId('seat-map');
    await map.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('seat-counts').textContent()).toBe('20 available · 0 held · 0 sold');
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Hold 1 selected seat' }).click();
    await page.getByTestId('hold-panel').waitFor();
    await screenshot(page, '60-two-tiers-hold-at-shop');

    // The queue tier refuses holds: the one made went to the shop. A reload finds it there.
    await page.reload();
    await page.getByTestId('hold-panel').waitFor({ timeout: 20_000 });

    // Another device never saw the admission (no shop remembered), and My waitlists asks me:state
    // before any queue:status: the queue tier refuses it naming the shop, and the page follows.
    const phone = await openPage(browser, queue.url);
    await signIn(phone.page, buyer.user.email, 'password-123', '/waitlists');
    await phone.page.getByText('You are on no waitlist.').waitFor({ timeout: 20_000 });
    expect(
      await phone.page.evaluate(() =>
        (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(
          'evently.shopUrl',
        ),
      ),
    ).toBe(shop.url);
    expect(phone.errors).toEqual([]);
    await phone.context.close();
    await page.getByLabel('Approve').check();
    await page.getByRole('button', { name: 'Pay and confirm' }).click();
    expect(await page.getByTestId('booking-reference').textContent()).toBeTruthy();
    const booked = await dbQuery<{ n: number }>(
      t.databaseUrl,
      `SELECT count(*)::int AS n FROM bookings WHERE event_id = $1 AND status = 'confirmed'`,
      [event.id],
    );
    expect(booked).toEqual([{ n: 1 }]);
    expect(errors).toEqual([]);
  });
});
