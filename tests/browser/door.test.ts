import { createServer } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMime } from '../../core/mail/read-mime.js';
import { type SmtpSink, startSmtpSink } from '../../core/mail/start-smtp-sink.js';
import { OPEN_ADMISSION } from '../support/admit-user.js';
import { createTestEvent } from '../support/create-test-event.js';
import { registerUser } from '../support/http-client.js';
import { openPage, screenshot, signIn } from '../support/launch-browser.js';
import { startBrowserSystem } from '../support/start-browser-system.js';
import type { StartedProcess } from '../support/start-process.js';
import { waitUntil } from '../support/wait-until.js';

let gw: StartedProcess;
let adminToken: string;
let browser: Browser;
let sink: SmtpSink;

/** A port nobody listens on now: the gateway takes it, so PUBLIC_URL (the mails' links) can name it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 0;
}

beforeAll(async () => {
  sink = await startSmtpSink();
  const port = await freePort();
  ({ browser, gw, adminToken } = await startBrowserSystem({
    CHALLENGE_MAX_NUMBER_MIN: '50000',
    SMTP_URL: sink.url,
    NOTIFY_POLL_MS: '100',
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
  }));
}, 180_000);
afterAll(() => sink?.close());

/** The link in the newest mail to `email` whose text has `path` (read through real SMTP, as a person would). */
async function mailedLink(email: string, path: string): Promise<string> {
  const pattern = new RegExp(`${gw.url.replace(/[.]/g, '\\.')}${path}\\?token=[\\w%-]+`);
  return waitUntil(`a mail to ${email} linking ${path}`, () => {
    for (const m of [...sink.messages].reverse()) {
      if (!m.to.includes(email)) continue;
      const link = pattern.exec(readMime(m.raw).text ?? '')?.[0];
      if (link) return link;
    }
    return undefined;
  });
}

describe('the door on the buyer page', () => {
  it('solves the challenge in a Web Worker while the event shows, then joins with the proof', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      name: 'Bot-proof Night',
      admission: { ...OPEN_ADMISSION, challenge: { required: true } },
    });
    const session = await registerUser(gw.url, 'Fan Fiona');
    const w = await openPage(browser, gw.url);
    await signIn(w.page, session.user.email, 'password-123', `/events/${event.id}`);
    const progress = w.page.getByTestId('door-progress');
    await progress.waitFor();
    await progress.getByText('you can join').waitFor({ timeout: 60_000 });
    await screenshot(w.page, '30-door-solved');
    await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
    // Admitted at once (open room): the seat picker replaces the waiting room.
    await w.page.getByRole('heading', { name: 'Choose your seats' }).waitFor({ timeout: 20_000 });
    expect(w.errors).toEqual([]);
  });
});

describe('account pages behind the mailed links', () => {
  it('forgot password → mail → reset page → sign in with the new password; each page survives a reload', async () => {
    const { user } = await registerUser(gw.url, 'Forgetful Fred');
    const w = await openPage(browser, gw.url);
    await w.page.goto('/login');
    await w.page.getByRole('link', { name: 'Forgot your password?' }).click();
    await w.page.getByLabel('Email').fill(user.email);
    await w.page.getByRole('button', { name: 'Mail me a link' }).click();
    await w.page.getByTestId('reset-mail-sent').waitFor();
    await w.page.reload();
    await w.page.getByTestId('reset-mail-sent').getByText(user.email).waitFor();
    await screenshot(w.page, '31-forgot-password');

    const link = await mailedLink(user.email, '/reset-password');
    await w.page.goto(link);
    await w.page.getByLabel('New password', { exact: true }).fill('brand-new-pass-1');
    await w.page.getByLabel('New password again').fill('brand-new-pass-2');
    await w.page.getByRole('button', { name: 'Set my new password' }).click();
    await w.page.getByText('The two passwords are not the same.').waitFor();
    await w.page.getByLabel('New password again').fill('brand-new-pass-1');
    await w.page.getByRole('button', { name: 'Set my new password' }).click();
    await w.page.getByTestId('password-reset-done').waitFor();
    await w.page.reload();
    await w.page.getByTestId('password-reset-done').waitFor();
    await screenshot(w.page, '32-password-reset');

    // The link worked once: opened again, it says so and changes nothing.
    await w.page.goto(link);
    await w.page.getByLabel('New password', { exact: true }).fill('attacker-pass-1');
    await w.page.getByLabel('New password again').fill('attacker-pass-1');
    await w.page.getByRole('button', { name: 'Set my new password' }).click();
    await w.page.getByText('This link is not valid any more').waitFor();

    await signIn(w.page, user.email, 'brand-new-pass-1');
    expect(await w.page.getByTestId('signed-in-as').textContent()).toBe('Forgetful Fred');
    expect(w.errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
  });

  it('verify email: the account page mails a link; the link confirms the address and says so, also after a reload', async () => {
    const event = await createTestEvent(gw.url, adminToken, {
      name: 'Confirmed Fans Only',
      admission: { ...OPEN_ADMISSION, requireVerifiedEmail: true },
    });
    const { user } = await registerUser(gw.url, 'Verifying Vera');
    const w = await openPage(browser, gw.url);
    await signIn(w.page, user.email, 'password-123', `/events/${event.id}`);
    await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
    await w.page.getByTestId('needs-verified-email').waitFor();

    await w.page.getByTestId('signed-in-as').click();
    await w.page.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await w.page.getByTestId('email-status').textContent()).toBe('not confirmed yet');
    await w.page.getByRole('button', { name: 'Mail me a confirmation link' }).click();
    await w.page.getByTestId('verification-sent').waitFor();
    await screenshot(w.page, '33-account');

    const link = await mailedLink(user.email, '/verify-email');
    await w.page.goto(link);
    await w.page.getByTestId('email-verified').waitFor();
    await w.page.reload();
    await w.page.getByTestId('email-verified').waitFor();
    await screenshot(w.page, '34-email-verified');
    await w.page.goto(link);
    await w.page.getByText('This link is not valid any more').waitFor();

    await w.page.goto('/account');
    await expect.poll(() => w.page.getByTestId('email-status').textContent(), { timeout: 10_000 }).toBe('confirmed');
    // Now the event lets Vera in.
    await w.page.goto(`/events/${event.id}`);
    await w.page.getByRole('button', { name: 'Join the waiting room' }).click();
    await w.page.getByRole('heading', { name: 'Choose your seats' }).waitFor({ timeout: 20_000 });

    // Change the password on the account page: a wrong current one is refused, the right one works.
    await w.page.goto('/account');
    await w.page.getByLabel('Current password').fill('not-my-password');
    await w.page.getByLabel('New password').fill('changed-pass-1');
    await w.page.getByRole('button', { name: 'Change password and sign out other devices' }).click();
    await w.page.getByText('Your current password is not right.').waitFor();
    await w.page.getByLabel('Current password').fill('password-123');
    await w.page.getByLabel('New password').fill('changed-pass-1');
    await w.page.getByRole('button', { name: 'Change password and sign out other devices' }).click();
    await w.page.getByTestId('password-changed').waitFor();
    await w.page.getByTestId('signed-in-as').waitFor();
    expect(w.errors.filter((e) => !/status of 40[01]/.test(e))).toEqual([]);
  });
});
