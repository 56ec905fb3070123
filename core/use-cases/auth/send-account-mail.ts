import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { type AccountMailKind, accountMailLink, renderAccountMail } from '../../domain/render-account-mail.js';
import { createAccountToken } from './account-tokens.js';

export interface AccountMailSettings {
  publicUrl: string;
  passwordResetTtlSeconds: number;
  emailVerifyTtlSeconds: number;
}

/**
 * A password-reset or verification mail with a fresh single-use link, written to the outbox in
 * the transaction that creates the token (the worker delivers it). False when there is no such
 * account: the caller answers the same either way.
 */
export async function sendAccountMail(
  pool: Pool,
  s: AccountMailSettings,
  kind: AccountMailKind,
  who: { userId: string } | { email: string },
): Promise<boolean> {
  const ttlSeconds = kind === 'password_reset' ? s.passwordResetTtlSeconds : s.emailVerifyTtlSeconds;
  return withTransaction(pool, async (tx) => {
    const where = 'userId' in who ? sql.fragment`id = ${who.userId}` : sql.fragment`email = ${who.email.trim().toLowerCase()}`;
    const user = await tx.maybeOne(
      sql.type(
        z.object({ id: z.string(), email: z.string(), name: z.string() }),
      )`SELECT id, email, name FROM users WHERE ${where}`,
    );
    if (!user) return false;
    const { id, token } = await createAccountToken(tx, kind, user.id, ttlSeconds);
    const mail = renderAccountMail(kind, {
      recipientName: user.name,
      link: accountMailLink(s.publicUrl, kind, token),
      validMinutes: Math.round(ttlSeconds / 60),
    });
    await tx.query(
      sql.typeAlias('void')`INSERT INTO notification_outbox (dedupe_key, kind, user_id, to_email, subject, text_body, html_body)
        VALUES (${`${kind}:${id}`}, ${kind}, ${user.id}, ${user.email}, ${mail.subject}, ${mail.text}, ${mail.html})`,
    );
    return true;
  });
}
