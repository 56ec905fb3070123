import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { admit, admittedUser, OPEN_ADMISSION } from '../support/admit-user.js';
import { connectAdmin, connectClient } from '../support/connect-client.js';
import { createTestEvent } from '../support/create-test-event.js';
import { http, registerUser } from '../support/http-client.js';
import { openPage, screenshot, signIn, type WatchedPage } from '../support/launch-browser.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';

let gw: StartedProcess;
let adminToken: string;
let browser: Browser;

beforeAll(async () => {
  ({ browser, gw, adminToken } = await startBrowserSystem({
    QUEUE_POSITION_PUSH_MS: '200',
    ADMISSION_RECONCILE_MS: '200',
    HOLD_SWEEP_CRON: '*/1 * * * * *',
  }));
}, 180_000);

async function buyerPage(eventId: string, name: string): Promise<WatchedPage> {
  const session = await registerUser(gw.url, name);
  const w = await openPage(browser, gw.url);
  await signIn(w.page, session.user.email, 'password-123', `/events/${eventId}`);
  return w;
}

describe('waiting-room states on the buyer page', () => {
  it('says so when an admin pauses and resumes, and when the event is cancelled', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      admission: { maxActive: 1, admitPerTick: 1, tickMs: 100, sessionTtlSeconds: 600 },
    });
    // The only slot is taken: our buyer waits.
    await admit(await connectClient(gw.url, (await registerUser(gw.url)).accessToken), event.id);
    const w = await buyerPage(event.id, 'Patient Pat');
    await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
    await w.page.getByTestId('queue-waiting').waitFor();

    const admin = await connectAdmin(gw.url, adminToken);
    expect(await admin.queueControl({ eventId: event.id, action: 'pause' })).toMatchObject({ ok: true, data: { paused: true } });
    await w.page.getByTestId('queue-paused').waitFor({ timeout: 10_000 });
    expect(await w.page.getByTestId('queue-paused').textContent()).toContain('paused');
    await screenshot(w.page, '13-queue-paused');
    expect(await admin.queueControl({ eventId: event.id, action: 'resume' })).toMatchObject({
      ok: true,
      data: { paused: false },
    });
    await w.page.getByTestId('queue-paused').waitFor({ state: 'detached', timeout: 10_000 });

    expect((await http(gw.url, 'DELETE', `/api/admin/events/${event.id}`, { token: adminToken })).status).toBe(200);
    await w.page.getByTestId('queue-cancelled').waitFor({ timeout: 10_000 });
    expect(w.errors).toEqual([]);
  });

  it('sold out: the buyer joins the waitlist, gets an offer when seats free up and books it', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      sections: [{ name: 'A', priceCents: 7000, rows: 1, seatsPerRow: 2 }],
      admission: OPEN_ADMISSION,
    });
    const first = await admittedUser(gw.url, event.id);
    const hold = await first.client.seatsHold({
      eventId: event.id,
      admissionToken: first.admissionToken,
      idempotencyKey: 'a',
      quantity: 2,
    });
    if (!hold.ok) throw new Error(JSON.stringify(hold.error));
    const booked = await first.client.holdConfirm({ holdId: hold.data.holdId, idempotencyKey: 'b', payment: { method: 'mock' } });
    if (!booked.ok) throw new Error(JSON.stringify(booked.error));
    await first.client.queueLeave({ eventId: event.id });

    const w = await buyerPage(event.id, 'Waitlist Wendy');
    // The page may already know it is sold out; otherwise joining the waiting room answers SOLD_OUT.
    const join = w.page.getByRole('button', { name: 'Join the waiting room' });
    await Promise.race([join.waitFor().then(() => join.click()), w.page.getByTestId('waitlist').waitFor()]);
    await w.page.getByTestId('waitlist').waitFor();
    await w.page.getByLabel('Seats wanted').fill('1');
    await w.page.getByRole('button', { name: 'Join the waitlist' }).click();
    await expect.poll(() => w.page.getByTestId('waitlist-position').textContent()).toContain('number 1 on the waitlist');
    await screenshot(w.page, '14-waitlist');

    expect(await first.client.bookingCancel({ bookingId: booked.data.bookingId })).toMatchObject({ ok: true });
    await w.page.getByTestId('waitlist-offer').waitFor({ timeout: 30_000 });
    await screenshot(w.page, '15-waitlist-offer');
    await w.page.getByRole('button', { name: 'Pay and confirm' }).click();
    expect(await w.page.getByTestId('booking-reference').textContent()).toBeTruthy();
    expect(w.errors).toEqual([]);
  });
});
