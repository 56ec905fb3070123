import type { Queryable } from '../../db/pool.js';
import { type Notification, notificationKey, renderNotification } from '../../domain/render-notification.js';

interface Recipient {
  user_id: string;
  email: string;
  user_name: string;
  event_id: string;
  event_name: string;
  venue: string;
  starts_at: Date;
}

/**
 * Writes mails to the outbox inside the caller's transaction: they exist exactly when the change
 * commits, and a worker delivers them after (relay + BullMQ). Two statements however many mails:
 * one read of recipients and events, one insert. The same fact twice (a retried transaction, a
 * replayed command) makes no second mail (dedupe_key).
 */
export async function enqueueNotifications(tx: Queryable, notifications: readonly Notification[]): Promise<void> {
  if (notifications.length === 0) return;
  const { rows } = await tx.query<Recipient>(
    `SELECT p.user_id, u.email, u.name AS user_name, e.id AS event_id, e.name AS event_name, e.venue, e.starts_at
       FROM (SELECT DISTINCT * FROM unnest($1::uuid[], $2::uuid[]) AS p(user_id, event_id)) p
       JOIN users u ON u.id = p.user_id JOIN events e ON e.id = p.event_id`,
    [notifications.map((n) => n.userId), notifications.map((n) => n.eventId)],
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
    `INSERT INTO notification_outbox (dedupe_key, kind, user_id, event_id, hold_id, to_email, subject, text_body, html_body)
     SELECT dedupe_key, kind, user_id, event_id, hold_id, to_email, subject, text_body, html_body
       FROM jsonb_to_recordset($1::jsonb) AS r(dedupe_key text, kind text, user_id uuid, event_id uuid, hold_id uuid,
                                             to_email text, subject text, text_body text, html_body text)
     ON CONFLICT (dedupe_key) DO NOTHING`,
    [JSON.stringify(records)],
  );
}

/** One mail; see enqueueNotifications. */
export function enqueueNotification(tx: Queryable, notification: Notification): Promise<void> {
  return enqueueNotifications(tx, [notification]);
}
