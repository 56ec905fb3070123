import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, registerUser } from '../support/http-client.js';
import { openPage, screenshot, signIn } from '../support/launch-browser.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';
import { ADMIN, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let adminToken: string;
let browser: Browser;

beforeAll(async () => {
  ({ browser, t, gw, adminToken } = await startBrowserSystem({
    QUEUE_POSITION_PUSH_MS: '200',
    ADMISSION_RECONCILE_MS: '200',
    ANALYTICS_INTERVAL_MS: '500',
  }));
}, 180_000);

describe('the admin console in Chromium', () => {
  it('creates an event with the section builder, watches its sale live and cancels it with refunds shown', async () => {
    const { page, errors } = await openPage(browser, gw.url);
    await signIn(page, ADMIN.email, ADMIN.password, '/admin/events');
    await page.getByLabel('Name', { exact: true }).fill('Console Gala');
    await page.getByLabel('Venue', { exact: true }).fill('Console Hall');
    await page.getByLabel('Section 2 rows').fill('4');
    await page.getByRole('button', { name: 'Add a section' }).click();
    await page.getByLabel('Section 3 name').fill('Balcony');
    await page.getByLabel('Section 3 price').fill('12.50');
    await page.getByLabel('Section 3 rows').fill('2');
    await page.getByLabel('Section 3 seats per row').fill('8');
    // 10 x 20 + 4 x 16 + 2 x 8
    await expect.poll(() => page.getByText('Sections (280 seats)').count()).toBe(1);
    await screenshot(page, '08-admin-create-event');
    await page.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => page.getByTestId('created').textContent()).toContain('with 280 seats');
    const listed = await http<{ id: string; name: string }[]>(gw.url, 'GET', '/api/events');
    const eventId = listed.body.find((e) => e.name === 'Console Gala')!.id;
    const detail = await http<{ sections: { name: string; priceCents: number; capacity: number }[] }>(
      gw.url,
      'GET',
      `/api/events/${eventId}`,
    );
    expect(detail.body.sections.map((s) => [s.name, s.priceCents, s.capacity])).toEqual([
      ['Stalls', 4500, 200],
      ['Circle', 3000, 64],
      ['Balcony', 1250, 16],
    ]);
    // Admission settings are not part of the form's test: open them up for the buyers below.
    await http(gw.url, 'PATCH', `/api/admin/events/${eventId}`, { token: adminToken, body: { admission: OPEN_ADMISSION } });

    // A buyer books two seats and another holds one: the dashboard shows it, pushed.
    const buyer = await admittedUser(gw.url, eventId);
    const hold = await buyer.client.seatsHold({
      eventId,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'k1',
      section: 'Balcony',
      quantity: 2,
    });
    if (!hold.ok) throw new Error(JSON.stringify(hold.error));
    expect(
      await buyer.client.holdConfirm({
        holdId: hold.data.holdId,
        idempotencyKey: 'k2',
        payment: { method: 'mock', outcome: 'approve' },
      }),
    ).toMatchObject({ ok: true });
    const holder = await admittedUser(gw.url, eventId);
    expect(
      await holder.client.seatsHold({
        eventId,
        admissionToken: holder.admissionToken,
        idempotencyKey: 'k3',
        section: 'Stalls',
        quantity: 1,
      }),
    ).toMatchObject({ ok: true });

    await page.getByRole('link', { name: 'Live dashboard' }).click();
    await page.getByLabel('Event').selectOption({ label: 'Console Gala' });
    await expect.poll(() => page.getByTestId('tile-sold').textContent(), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('tile-held').textContent(), { timeout: 20_000 }).toBe('1');
    // Revenue comes from the audit roll-up, which may trail the live seat count by a tick.
    await expect.poll(() => page.getByTestId('tile-revenue').textContent(), { timeout: 20_000 }).toBe('$25.00');
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, '09-admin-dashboard');

    // Pause from the console: the server's admission state says paused.
    await page.getByRole('button', { name: 'Pause admissions' }).click();
    await expect.poll(() => page.getByTestId('wr-state').textContent()).toContain('Paused');
    const [row] = await dbQuery<{ admission_paused: boolean }>(
      t.databaseUrl,
      'SELECT admission_paused FROM events WHERE id = $1',
      [eventId],
    );
    expect(row?.admission_paused).toBe(true);
    await page.getByRole('button', { name: 'Resume admissions' }).click();
    await expect.poll(() => page.getByTestId('wr-state').textContent()).toContain('Admitting');

    await page.getByRole('link', { name: 'Events', exact: true }).last().click();
    const line = page.getByTestId('admin-event').filter({ hasText: 'Console Gala' });
    await line.getByRole('button', { name: 'Cancel event' }).click();
    await line.getByRole('button', { name: 'Yes, cancel Console Gala' }).click();
    await expect
      .poll(() => line.getByTestId('cancel-result').textContent())
      .toBe('Cancelled: 1 holds released, 1 bookings refunded ($25.00).');
    await screenshot(page, '10-admin-cancel-event');
    const bookings = await dbQuery<{ status: string }>(t.databaseUrl, 'SELECT status FROM bookings WHERE event_id = $1', [
      eventId,
    ]);
    expect(bookings).toEqual([{ status: 'cancelled' }]);
    expect(errors).toEqual([]);
  });

  it('is refused to buyers: no console, and the /admin socket says FORBIDDEN', async () => {
    const user = await registerUser(gw.url, 'Not An Admin');
    await connectClient(gw.url, user.accessToken);
    const { page, errors } = await openPage(browser, gw.url);
    await signIn(page, user.user.email, 'password-123', '/admin');
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('The console is for organizers and admins.');
    expect(await page.getByRole('link', { name: 'Console' }).count()).toBe(0);
    expect(errors).toEqual([]);
  });

  it('logs no console error on any page, signed out, as a buyer and as an admin', async () => {
    const event = await createTestEvent(gw.url, adminToken, { admission: OPEN_ADMISSION });
    const visit = async (w: Awaited<ReturnType<typeof openPage>>, pages: [string, string][]) => {
      for (const [path, text] of pages) {
        await w.page.goto(path);
        await w.page.getByText(text).first().waitFor();
      }
    };
    const anonymous = await openPage(browser, gw.url);
    await visit(anonymous, [
      ['/', 'Upcoming events'],
      [`/events/${event.id}`, 'to join the waiting room'],
      ['/bookings', 'sign in'],
      ['/admin', 'sign in'],
      ['/no/such/page', 'Page not found'],
      ['/login', 'New here?'],
    ]);
    const user = await registerUser(gw.url, 'Page Visitor');
    const buyer = await openPage(browser, gw.url);
    await signIn(buyer.page, user.user.email, 'password-123');
    await visit(buyer, [
      ['/', 'Upcoming events'],
      [`/events/${event.id}`, 'Join the waiting room'],
      ['/bookings', 'No bookings yet.'],
      ['/admin', 'The console is for organizers and admins.'],
    ]);
    const admin = await openPage(browser, gw.url);
    await signIn(admin.page, ADMIN.email, ADMIN.password);
    await visit(admin, [
      ['/admin', 'Holds and confirms per minute'],
      ['/admin/events', 'Create an event'],
      ['/bookings', 'My bookings'],
    ]);
    expect({ anonymous: anonymous.errors, buyer: buyer.errors, admin: admin.errors }).toEqual({
      anonymous: [],
      buyer: [],
      admin: [],
    });
  });
});
