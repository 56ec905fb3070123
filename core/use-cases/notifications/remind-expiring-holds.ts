import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { enqueueNotifications } from './enqueue-notification.js';

/**
 * "Your hold is about to expire": a time, not a change, so a worker sweep writes these to the
 * outbox (not the hold path: a hold stays four round trips). Live user holds that expire within
 * `leadSeconds` and lasted at least twice that long (a short hold would be warned at once); each
 * hold once (dedupe_key). Waitlist offers already had their own mail with the deadline.
 */
export async function remindExpiringHolds(pool: Pool, leadSeconds: number, limit = 500): Promise<number> {
  if (leadSeconds <= 0) return 0;
  return withTransaction(pool, async (tx) => {
    const rows = await tx.any(
      sql.type(
        z.object({ id: z.string(), user_id: z.string(), event_id: z.string(), expires_at: z.date() }),
      )`SELECT h.id, h.user_id,
              h.event_id, h.expires_at FROM holds h
        WHERE h.status = 'active' AND h.source = 'user'
          AND h.expires_at > now() AND h.expires_at <= now() + make_interval(secs => ${leadSeconds}::float8)
          AND h.expires_at - h.created_at >= make_interval(secs => 2 * ${leadSeconds}::float8)
          AND NOT EXISTS (SELECT 1 FROM notification_outbox o WHERE o.dedupe_key = 'hold_expiring:' || h.id)
        ORDER BY h.expires_at LIMIT ${limit}`,
    );
    await enqueueNotifications(
      tx,
      rows.map((h) => ({
        kind: 'hold_expiring' as const,
        userId: h.user_id,
        eventId: h.event_id,
        holdId: h.id,
        expiresAt: h.expires_at,
      })),
    );
    return rows.length;
  });
}
