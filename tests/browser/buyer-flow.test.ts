import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { registerUser } from '../support/http-client.js';
import { openPage, screenshot } from '../support/launch-browser.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';
import type { TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let browser: Browser;

beforeAll(async () => {
  ({ browser, t, gw, adminToken } = await startBrowserSystem({ QUEUE_POSITION_PUSH_MS: '200', ADMISSION_RECONCILE_MS: '200' }));
}, 180_000);

describe('a buyer in Chromium', () => {
  it('signs up, waits in the queue, is admitted, holds two seats by keyboard, pays, sees and cancels the booking', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      name: 'Browser Night',
      sections: [
        { name: 'Stalls', priceCents: 4500, rows: 5, seatsPerRow: 12 },
        { name: 'Circle', priceCents: 3000, rows: 3, seatsPerRow: 10 },
      ],
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    // Someone else takes the only shopping slot first, so our buyer has to wait.
    const other = await registerUser(gw.url, 'Early Bird');
    const otherClient = await connectClient(gw.url, other.accessToken);
    expect(await otherClient.queueJoin({ eventId: event.id })).toMatchObject({ ok: true, data: { state: 'admitted' } });

    const { page, errors } = await openPage(browser, gw.url);
    await page.goto('/');
    const card = page.getByTestId('event-card').filter({ hasText: 'Browser Night' });
    await expect.poll(() => card.getByTestId('available').textContent()).toBe('90');
    await screenshot(page, '01-catalog');

    // Sign up through the form, coming back to the event.
    await card.getByRole('link', { name: 'Browser Night' }).click();
    await page.locator('.notice').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Create an account' }).click();
    const email = `buyer-${Date.now()}@evently.test`;
    await page.getByLabel('Name').fill('Browser Buyer');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('password-123');
    await screenshot(page, '02-sign-up');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByTestId('signed-in-as').waitFor();
    expect(page.url()).toContain(`/events/${event.id}`);

    await page.getByRole('button', { name: 'Join the waiting room' }).click();
    await page.getByTestId('queue-waiting').waitFor();
    expect(await page.getByTestId('queue-position').textContent()).toBe('1');
    expect(await page.getByTestId('queue-ahead').textContent()).toBe('0');
    await screenshot(page, '03-waiting-room');

    // The slot frees up: the admission is pushed to the page, no reload.
    expect(await otherClient.queueLeave({ eventId: event.id })).toMatchObject({ ok: true });
    const map = page.getByTestId('seat-map');
    await map.waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('seat-counts').textContent()).toBe('90 available · 0 held · 0 sold');

    // Keyboard only: focus the map, first seat, Enter; right arrow, Space.
    await map.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowLeft');
    await expect
      .poll(() => page.getByTestId('seat-focus').textContent())
      .toBe('Section Stalls, row 1, seat 1, $45.00, available');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press(' ');
    await expect.poll(() => page.getByTestId('selected-seats').locator('li').count()).toBe(2);
    await screenshot(page, '04-seat-map');
    await page.getByRole('button', { name: 'Hold 2 selected seats' }).click();
    await page.getByTestId('hold-panel').waitFor();
    await expect.poll(() => page.getByTestId('hold-countdown').textContent()).toMatch(/Reserved for \d+:\d\d more/);
    await expect.poll(() => page.getByTestId('seat-counts').textContent()).toBe('88 available · 2 held · 0 sold');
    await screenshot(page, '05-hold');

    // A declined card keeps the hold and says so; then an approved one books it.
    await page.getByLabel('Decline').check();
    await page.getByRole('button', { name: 'Pay and confirm' }).click();
    await expect.poll(() => page.getByTestId('hold-message').textContent()).toContain('declined');
    await page.getByLabel('Approve').check();
    await page.getByRole('button', { name: 'Pay and confirm' }).click();
    const reference = await page.getByTestId('booking-reference').textContent();
    expect(reference).toBeTruthy();
    await screenshot(page, '06-booking');

    const rows = await dbQuery<{ reference: string; status: string; seats: string[] }>(
      t.databaseUrl,
      `SELECT b.reference, b.status, array_agg(s.row || '-' || s.number ORDER BY s.number) AS seats
         FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id JOIN seats s ON s.id = bs.seat_id
        WHERE b.event_id = $1 GROUP BY b.id`,
      [event.id],
    );
    expect(rows).toEqual([{ reference, status: 'confirmed', seats: ['1-1', '1-2'] }]);

    await page.getByRole('link', { name: 'See my bookings' }).click();
    const booking = page.getByTestId('booking').filter({ hasText: reference! });
    await expect.poll(() => booking.getByTestId('booking-status').textContent()).toBe('Confirmed');
    await screenshot(page, '07-my-bookings');
    await booking.getByRole('button', { name: 'Cancel booking' }).click();
    await booking.getByRole('button', { name: 'Yes, cancel it' }).click();
    await expect
      .poll(() => booking.getByTestId('booking-note').textContent())
      .toBe('Cancelled. $90.00 will be refunded to your card.');
    await expect.poll(() => booking.getByTestId('booking-status').textContent()).toBe('Cancelled');
    const after = await dbQuery<{ status: string }>(t.databaseUrl, 'SELECT status FROM bookings WHERE event_id = $1', [event.id]);
    expect(after).toEqual([{ status: 'cancelled' }]);

    expect(errors).toEqual([]);
  });
});
