import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export interface OutgoingMail {
  messageId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** The SMTP side, injected: nodemailer in the worker. */
export type SendMail = (mail: OutgoingMail) => Promise<void>;

const Row = z.object({
  id: z.string(),
  kind: z.string(),
  to_email: z.string(),
  subject: z.string(),
  text_body: z.string(),
  html_body: z.string(),
  sent_at: z.date().nullable(),
  skipped_at: z.date().nullable(),
  hold_live: z.boolean().nullable(),
});

/** `<outbox id@domain of MAIL_FROM>`: receivers and the tests tell a repeated delivery by it. */
export function messageIdOf(outboxId: string, from: string): string {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'evently.local';
  return `<${outboxId}@${domain}>`;
}

/**
 * Delivers one outbox message, once: a sent (or skipped) row is not sent again, however often
 * its job runs. A reminder or offer whose hold ended meanwhile is skipped, not sent late. On an
 * SMTP failure the attempt is recorded and the error rethrown, so BullMQ retries with backoff.
 * (A crash between the SMTP server's acceptance and the UPDATE would send it twice: the stable
 * Message-ID lets the receiving side drop that copy.)
 */
export async function deliverMail(
  pool: Pool,
  send: SendMail,
  from: string,
  outboxId: string,
): Promise<'sent' | 'already' | 'skipped' | 'missing'> {
  const row = await pool.maybeOne(
    sql.type(Row)`SELECT o.id, o.kind, o.to_email, o.subject, o.text_body, o.html_body, o.sent_at, o.skipped_at,
            (SELECT h.status = 'active' AND h.expires_at > now() FROM holds h WHERE h.id = o.hold_id) AS hold_live
       FROM notification_outbox o WHERE o.id = ${outboxId}`,
  );
  if (!row) return 'missing';
  if (row.sent_at || row.skipped_at) return 'already';
  if ((row.kind === 'hold_expiring' || row.kind === 'waitlist_offer') && row.hold_live === false) {
    await pool.query(
      sql.typeAlias('void')`UPDATE notification_outbox SET skipped_at = now() WHERE id = ${outboxId} AND sent_at IS NULL`,
    );
    return 'skipped';
  }
  try {
    await send({
      messageId: messageIdOf(row.id, from),
      to: row.to_email,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
    });
  } catch (err) {
    await pool
      .query(
        sql.typeAlias('void')`UPDATE notification_outbox SET attempts = attempts + 1,
            last_error = ${String((err as Error).message ?? err).slice(0, 500)} WHERE id = ${outboxId}`,
      )
      .catch(() => {});
    throw err;
  }
  await pool.query(
    sql.typeAlias('void')`UPDATE notification_outbox SET attempts = attempts + 1, sent_at = now(), last_error = NULL
      WHERE id = ${outboxId}`,
  );
  return 'sent';
}
