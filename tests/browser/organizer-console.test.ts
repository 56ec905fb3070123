import { readFileSync } from 'node:fs';
import type { Browser, Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AuthReply } from '../../core/contract/http.js';
import { hashAccessCode } from '../../core/domain/access-code.js';
import { admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { dbQuery } from '../support/db-query.js';
import { http, registerUser } from '../support/http-client.js';
import { openPage, screenshot, signIn } from '../support/launch-browser.js';
import { staffUser } from '../support/staff-user.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';
import { ADMIN, type TestEnv } from '../support/test-env.js';

let t: TestEnv;
let gw: StartedProcess;
let browser: Browser;
let alice: AuthReply;
let bob: AuthReply;
/** What the first organizer made, for the second one not to see. */
const made = { eventIds: [] as string[], venue: '' };

beforeAll(async () => {
  ({ browser, t, gw } = await startBrowserSystem({ ANALYTICS_INTERVAL_MS: '500', ADMISSION_RECONCILE_MS: '200' }));
  [alice, bob] = await Promise.all([
    staffUser(gw.url, t.databaseUrl, 'organizer', 'Alice Organizer'),
    staffUser(gw.url, t.databaseUrl, 'organizer', 'Bob Organizer'),
  ]);
}, 180_000);

/** The value of a datetime-local input for a time from now (the browser runs in this machine's zone). */
function localInput(fromNowMs: number): string {
  const d = new Date(Date.now() + fromNowMs);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Tabs from the top of the page until `target` has the focus: it is reachable by keyboard. */
async function reachByTab(page: Page, target: Locator, maxTabs = 120): Promise<boolean> {
  // Runs in the page: its DOM types are not in this (Node) project.
  await page.evaluate(() => (globalThis as any).document.activeElement?.blur());
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((el) => el === (globalThis as any).document.activeElement)) return true;
  }
  return false;
}

async function downloadOf(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await download.path()) as string, 'utf8');
}

const consoleNav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name });

describe("the organizer's console in Chromium", () => {
  it('builds a venue, creates an event from it, reprices it before the sale, issues codes once and reads the reports the API gives', async () => {
    const { page, errors } = await openPage(browser, gw.url);
    await signIn(page, alice.user.email, 'password-123', '/admin/venues');
    await page.getByLabel('Venue name').fill('Riverside Hall');
    await page.getByLabel('Address').fill('1 River Road');
    await page.getByLabel('Section 2 rows').fill('5');
    // Floor 8 x 20 + Balcony 5 x 24
    await expect.poll(() => page.getByText('Layout (280 seats)').count()).toBe(1);
    expect(await reachByTab(page, page.getByRole('button', { name: 'Create venue' }))).toBe(true);
    await page.getByRole('button', { name: 'Create venue' }).click();
    await expect.poll(() => page.getByTestId('venue-saved').textContent()).toBe('Saved Riverside Hall (280 seats).');
    await screenshot(page, '16-console-venue-builder');

    await consoleNav(page, 'Events').click();
    await page.getByLabel('Name', { exact: true }).fill('Harbour Lights');
    await page.getByLabel('From a venue').selectOption({ label: 'Riverside Hall (280 seats)' });
    await page.getByLabel('Sale opens (empty: now)').fill(localInput(7 * 86_400_000));
    expect(await reachByTab(page, page.getByRole('button', { name: 'Create event' }))).toBe(true);
    await page.getByRole('button', { name: 'Create event' }).click();
    await expect.poll(() => page.getByTestId('created').textContent()).toContain('with 280 seats');
    const line = page.getByTestId('admin-event').filter({ hasText: 'Harbour Lights' });
    expect(await line.getByTestId('event-status').textContent()).toBe('Not on sale yet');
    await screenshot(page, '17-console-events');
    await line.getByRole('link', { name: 'Harbour Lights' }).click();

    // Settings and a price, before the sale.
    await page.getByLabel('Refund on cancellation (%)').fill('50');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect.poll(() => page.getByTestId('settings-saved').textContent()).toBe('Saved: refundPercent.');
    await page.getByLabel('Section 1 price').fill('75.00');
    await page.getByRole('button', { name: 'Save sections and prices' }).click();
    await expect.poll(() => page.getByTestId('sections-saved').textContent()).toBe('Saved: 280 seats.');
    const eventId = new URL(page.url()).pathname.split('/')[3]!;
    made.eventIds.push(eventId);
    const detail = (await http(gw.url, 'GET', `/api/events/${eventId}`)).body;
    expect(detail.refundPercent).toBe(50);
    expect(detail.sections.map((s: any) => [s.name, s.priceCents])).toEqual([
      ['Floor', 7500],
      ['Balcony', 3500],
    ]);
    await page.getByRole('heading', { name: 'Sections and prices' }).scrollIntoViewIfNeeded();
    await screenshot(page, '18-console-edit-prices');

    // Codes: shown once as a CSV, listed afterwards from their hashes.
    await page.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Access codes' }).click();
    await page.getByLabel('How many').fill('5');
    expect(await reachByTab(page, page.getByRole('button', { name: 'Create codes' }))).toBe(true);
    await page.getByRole('button', { name: 'Create codes' }).click();
    const csv = await downloadOf(page, () => page.getByRole('button', { name: 'Download 5 codes (CSV)' }).click());
    const [header, ...rows] = csv.trim().split('\r\n');
    expect(header).toBe('code,kind,max_uses');
    expect(rows).toHaveLength(5);
    const stored = await dbQuery<{ code_hash: string }>(t.databaseUrl, 'SELECT code_hash FROM access_codes WHERE event_id = $1', [
      eventId,
    ]);
    expect(rows.map((r) => hashAccessCode(r.split(',')[0]!)).sort()).toEqual(stored.map((s) => s.code_hash).sort());
    expect(await page.getByRole('button', { name: /Download/ }).count()).toBe(0);
    await expect.poll(() => page.getByTestId('access-code').count()).toBe(5);
    expect(await page.getByTestId('uses-left').allTextContents()).toEqual(['1', '1', '1', '1', '1']);
    await screenshot(page, '19-console-access-codes');

    // Someone on the waitlist (written directly: the sale is not open), taken off it from the page.
    const waiter = await registerUser(gw.url, 'Wendy Waiter');
    const [entry] = await dbQuery<{ id: string }>(
      t.databaseUrl,
      'INSERT INTO waitlist_entries (event_id, user_id, quantity) VALUES ($1, $2, 2) RETURNING id',
      [eventId, waiter.user.id],
    );
    await page.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Waitlist' }).click();
    await expect.poll(() => page.getByTestId('waitlist-entry').textContent()).toContain('Wendy Waiter');
    expect(await reachByTab(page, page.getByRole('button', { name: 'Remove' }))).toBe(true);
    await page.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('button', { name: 'Yes, remove Wendy Waiter' }).click();
    await expect.poll(() => page.getByTestId('waitlist-message').textContent()).toBe('Removed Wendy Waiter from the waitlist.');
    await page.getByTestId('waitlist-empty').waitFor();
    expect(await dbQuery(t.databaseUrl, 'SELECT status FROM waitlist_entries WHERE id = $1', [entry!.id])).toEqual([
      { status: 'cancelled' },
    ]);
    await page.getByRole('navigation', { name: 'Event' }).getByRole('link', { name: 'Audit log' }).click();
    await expect.poll(() => page.getByTestId('audit-entry').count()).toBe(5);
    expect(await page.getByTestId('audit-entry').first().textContent()).toContain('waitlist.removed');

    // A sale of another event of hers, then the reports for today: the API's figures, as given.
    const sale = await createTestEvent(gw.url, alice.accessToken, { name: 'Sales Night', admission: OPEN_ADMISSION });
    made.eventIds.push(sale.id);
    const buyer = await admittedUser(gw.url, sale.id);
    const hold = await buyer.client.seatsHold({
      eventId: sale.id,
      admissionToken: buyer.admissionToken,
      idempotencyKey: 'h',
      quantity: 2,
    });
    if (!hold.ok) throw new Error(JSON.stringify(hold.error));
    const paid = await buyer.client.holdConfirm({
      holdId: hold.data.holdId,
      idempotencyKey: 'c',
      payment: { method: 'mock', outcome: 'approve' },
    });
    expect(paid.ok).toBe(true);
    buyer.client.close();
    const today = new Date().toISOString().slice(0, 10);
    const query = `from=${today}T00:00:00.000Z&to=${new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString()}&eventId=${sale.id}`;
    const apiReport = async () => (await http(gw.url, 'GET', `/api/admin/analytics?${query}`, { token: alice.accessToken })).body;
    await expect.poll(async () => (await apiReport()).bookings, { timeout: 20_000 }).toBe(1);
    const report = await apiReport();

    await consoleNav(page, 'Reports').click();
    await page.getByLabel('Event').selectOption({ label: 'Sales Night' });
    await page.getByLabel('From').fill(today);
    await page.getByLabel('To (included)').fill(today);
    expect(await reachByTab(page, page.getByRole('button', { name: 'Show' }))).toBe(true);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.getByTestId('report-bookings').textContent()).toBe(String(report.bookings));
    const money = (c: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(c / 100);
    expect(await page.getByTestId('report-revenue').textContent()).toBe(money(report.revenueCents));
    expect(await page.getByTestId('report-active-users').textContent()).toBe(String(report.reports.activeUsers));
    expect(await page.getByTestId('report-utilization').textContent()).toBe(
      `${(report.reports.capacityUtilization.ratio * 100).toFixed(1)}%`,
    );
    const daily = await downloadOf(page, () => page.getByRole('button', { name: 'CSV of Daily sales' }).click());
    expect(daily.trim().split('\r\n')).toEqual([
      'day,holds,bookings,revenue_cents',
      ...report.daily.map((d: any) => `${d.day},${d.holds},${d.bookings},${d.revenueCents}`),
    ]);
    const monthly = await downloadOf(page, () => page.getByRole('button', { name: 'CSV of Monthly revenue' }).click());
    expect(monthly.trim().split('\r\n').slice(1)).toEqual(
      report.monthly.map((m: any) => `${m.month},${m.bookings},${m.revenueCents},${m.refundCents}`),
    );
    await expect.poll(() => page.locator('.chart canvas').count()).toBeGreaterThanOrEqual(1);
    await screenshot(page, '20-console-reports');
    // All her events together: again the API's figures.
    const allQuery = query.replace(`&eventId=${sale.id}`, '');
    const all = (await http(gw.url, 'GET', `/api/admin/analytics?${allQuery}`, { token: alice.accessToken })).body;
    await page.getByLabel('Event').selectOption({ label: 'All your events' });
    const asked = page.waitForResponse((r) => r.url().includes('/api/admin/analytics?') && !r.url().includes('eventId'));
    await page.getByRole('button', { name: 'Show' }).click();
    expect((await asked).status()).toBe(200);
    await expect.poll(() => page.getByTestId('report-revenue').textContent()).toBe(money(all.revenueCents));
    expect(await page.getByTestId('report-bookings').textContent()).toBe(String(all.bookings));

    await consoleNav(page, 'Sale day').click();
    expect(await reachByTab(page, page.getByLabel('Event'))).toBe(true);
    await page.getByLabel('Event').selectOption({ label: 'Sales Night' });
    await expect.poll(() => page.getByTestId('big-sold').textContent(), { timeout: 20_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('health-mode').textContent()).toBe('closed loop');
    await expect.poll(() => page.getByTestId('health-db-queue').textContent()).toMatch(/^\d+ waiting \/ \d+$/);
    await screenshot(page, '21-console-sale-day');
    expect(errors).toEqual([]);
  });

  it("shows a second organizer none of the first one's events, venues, codes or reports", async () => {
    expect(made.eventIds).toHaveLength(2);
    const { page, errors } = await openPage(browser, gw.url);
    await signIn(page, bob.user.email, 'password-123', '/admin/events');
    await page.getByTestId('no-events').waitFor();
    await consoleNav(page, 'Venues').click();
    await page.getByTestId('no-venues').waitFor();
    await consoleNav(page, 'Reports').click();
    await page.getByText('Reports appear once you have an event.').waitFor();
    expect(await page.getByLabel('Event').count()).toBe(0);
    expect(await page.getByTestId('report').count()).toBe(0);
    expect(await consoleNav(page, 'Users').count()).toBe(0);
    // What the pages did not show, the API refuses too.
    const as = { token: bob.accessToken };
    for (const id of made.eventIds) {
      expect((await http(gw.url, 'GET', `/api/admin/events/${id}/access-codes`, as)).status).toBe(403);
      expect((await http(gw.url, 'GET', `/api/admin/analytics?eventId=${id}`, as)).status).toBe(403);
      expect((await http(gw.url, 'GET', `/api/admin/events/${id}/audit`, as)).status).toBe(403);
    }
    expect((await http(gw.url, 'GET', '/api/admin/venues', as)).body).toEqual([]);
    expect(errors).toEqual([]);
  });

  it("signs a user's open page out when an admin changes that user's role", async () => {
    const carol = await staffUser(gw.url, t.databaseUrl, 'organizer', 'Carol Organizer');
    const victim = await openPage(browser, gw.url);
    await signIn(victim.page, carol.user.email, 'password-123', '/admin/events');
    await victim.page.getByTestId('no-events').waitFor();

    const { page, errors } = await openPage(browser, gw.url);
    await signIn(page, ADMIN.email, ADMIN.password, '/admin/users');
    await page.getByLabel('Name or email').fill(carol.user.email);
    expect(await reachByTab(page, page.getByRole('button', { name: 'Search' }))).toBe(true);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.getByTestId('user-row').count()).toBe(1);
    await page.getByLabel(`Role of ${carol.user.email}`).selectOption('user');
    await expect
      .poll(() => page.getByTestId('users-message').textContent())
      .toBe('Carol Organizer is now user; their sessions were ended.');
    await screenshot(page, '22-console-users');
    await expect.poll(() => victim.page.getByTestId('signed-in-as').count(), { timeout: 15_000 }).toBe(0);
    expect(await victim.page.getByRole('link', { name: 'Sign in' }).count()).toBeGreaterThan(0);
    const [row] = await dbQuery(t.databaseUrl, 'SELECT role FROM users WHERE id = $1', [carol.user.id]);
    expect(row).toEqual({ role: 'user' });
    expect(errors).toEqual([]);
    // The refused refresh is how the page learns it is signed out: the only error it may log.
    expect(victim.errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
