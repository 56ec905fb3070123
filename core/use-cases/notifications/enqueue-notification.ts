import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { type Notification, notificationKey, renderNotification } from '../../domain/render-notification.js';

const Recipient = z.object({
  user_id: z.string(),
  email: z.string(),
  user_name: z.string(),
  event_id: z.string(),
  event_name: z.string(),
  venue: z.string(),
  starts_at: z.date(),
});

/**
 * Writes mails to the outbox inside the caller's transaction: they exist exactly when the change
 * commits, and a worker delivers them after (relay + BullMQ). Two statements however many mails:
 * one read of recipients and events, one insert. The same fact twice (a retried transaction, a
 * replayed command) makes no second mail (dedupe_key).
 */
export async function enqueueNotifications(tx: Db, notifications: readonly Notification[]): Promise<void> {
  if (notifications.length === 0) return;
  const pairs = sql.unnest(
    notifications.map((n) => [n.userId, n.eventId]),
    ['uuid', 'uuid'],
  );
  const rows = await tx.any(
    sql.type(
      Recipient,
    )`SELECT p.user_id, u.email, u.name AS user_name, e.id AS event_id, e.name AS event_name, e.venue, e.starts_at
       FROM (SELECT DISTINCT * FROM ${pairs} AS p(user_id, event_id)) p
       JOIN users u ON u.id = p.user_id JOIN events e ON e.id = p.event_id`,
  );
  const byPair = new Map(rows.map((r) => [`${r.user_id}/${r.event_id}`, r]));
  const records = notifications.flatMap((n) => {
    const r = byPair.get(`${n.userId}/${n.eventId}`);
    if (!r) return [];
    const mail = renderNotification(n, {
      recipientName: r.user_name,
      eventName: r.event_name,
      venue: r.venue,
      startsAt: r.starts_at,
    });
    return [
      {
        dedupe_key: notificationKey(n),
        kind: n.kind,
        user_id: n.userId,
        event_id: n.eventId,
        hold_id: 'holdId' in n ? n.holdId : null,
        to_email: r.email,
        subject: mail.subject,
        text_body: mail.text,
        html_body: mail.html,
      },
    ];
  });
  await tx.query(
    sql.typeAlias(
      'void',
    )`INSERT INTO notification_outbox (dedupe_key, kind, user_id, event_id, hold_id, to_email, subject, text_body,
       html_body)
     SELECT dedupe_key, kind, user_id, event_id, hold_id, to_email, subject, text_body, html_body
       FROM jsonb_to_recordset(${sql.jsonb(records)}) AS r(dedupe_key text, kind text, user_id uuid, event_id uuid, hold_id uuid,
                                             to_email text, subject text, text_body text, html_body text)
     ON CONFLICT (dedupe_key) DO NOTHING`,
  );
}

/** One mail; see enqueueNotifications. */
export function enqueueNotification(tx: Db, notification: Notification): Promise<void> {
  return enqueueNotifications(tx, [notification]);
}
