import { compose, type RenderedMail } from './render-notification.js';

export type AccountMailKind = 'password_reset' | 'email_verification';

/** The page of the web app a mail links to, with the token as its `token` query parameter. */
export function accountMailLink(publicUrl: string, kind: AccountMailKind, token: string): string {
  const page = kind === 'password_reset' ? 'reset-password' : 'verify-email';
  return `${publicUrl}/${page}?token=${encodeURIComponent(token)}`;
}

export function renderAccountMail(
  kind: AccountMailKind,
  c: { recipientName: string; link: string; validMinutes: number },
): RenderedMail {
  const greeting = `Hello ${c.recipientName},`;
  if (kind === 'password_reset') {
    return compose('Reset your Evently password', greeting, [
      `Someone (we hope you) asked to reset the password of your Evently account. Open this link within ${c.validMinutes} minutes to choose a new one; it works once:`,
      c.link,
      'If it was not you, ignore this mail: your password stays as it is.',
    ]);
  }
  return compose('Confirm your email address for Evently', greeting, [
    `Open this link within ${c.validMinutes} minutes to confirm that this address is yours; it works once:`,
    c.link,
  ]);
}
