import {
  ChangePasswordBody,
  PasswordResetBody,
  PasswordResetConfirmBody,
  VerifyEmailBody,
  VerifyEmailRequestBody,
} from '../../../core/contract/accounts.js';
import { parseInput } from '../../../core/domain/parse-input.js';
import { changePassword } from '../../../core/use-cases/auth/change-password.js';
import { resetPassword, verifyEmail } from '../../../core/use-cases/auth/reset-password.js';
import { sendAccountMail } from '../../../core/use-cases/auth/send-account-mail.js';
import type { AppContext } from '../../context/app-context.js';
import { createAccountMailThrottle } from '../account-mail-throttle.js';
import type { Router } from '../http-router.js';
import type { LoginThrottle } from '../login-throttle.js';
import { requireUser } from '../require-principal.js';

/**
 * Accounts: password change, password reset by mail, email verification. Mails go through
 * the outbox like every other mail; links point at the web app's pages.
 */
export function registerAccountRoutes(router: Router, app: AppContext, deps: { throttle: LoginThrottle }) {
  const secret = app.config.jwtAccessSecret;
  const mails = createAccountMailThrottle(app.redis, app.keys.accountMails, app.config.accountMails);
  const sessions = { pool: app.pool, redis: app.redis, keys: app.keys, now: app.now };
  router.post('/api/auth/password', async (req) => {
    const principal = requireUser(req, secret);
    const body = parseInput(ChangePasswordBody, req.body);
    // The current password is a guess like a login's: same allowance per account and address.
    await deps.throttle.attempt(principal.userId, req.ip);
    await changePassword({ ...sessions, accessTokenTtlSeconds: app.config.accessTokenTtlSeconds }, principal, body);
    await deps.throttle.succeeded(principal.userId, req.ip);
    return { status: 204 };
  });
  router.post('/api/auth/password-reset', async (req) => {
    const { email } = parseInput(PasswordResetBody, req.body);
    const normalized = email.trim().toLowerCase();
    await mails.attempt(normalized, req.ip);
    // 202 whether or not the account exists: the answer says nothing about who has one.
    await sendAccountMail(app.pool, app.config, 'password_reset', { email: normalized });
    return { status: 202, body: {} };
  });
  router.post('/api/auth/password-reset/confirm', async (req) => {
    const body = parseInput(PasswordResetConfirmBody, req.body);
    await resetPassword(sessions, body);
    return { status: 204 };
  });
  router.post('/api/auth/verify-email/request', async (req) => {
    const principal = requireUser(req, secret);
    parseInput(VerifyEmailRequestBody, req.body);
    await mails.attempt(principal.userId, req.ip);
    await sendAccountMail(app.pool, app.config, 'email_verification', { userId: principal.userId });
    return { status: 202, body: {} };
  });
  router.post('/api/auth/verify-email', async (req) => {
    const { token } = parseInput(VerifyEmailBody, req.body);
    await verifyEmail(app, token);
    return { status: 204 };
  });
}
