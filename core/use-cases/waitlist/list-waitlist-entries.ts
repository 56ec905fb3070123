import { z } from 'zod';
import type { AdminWaitlistEntry } from '../../contract/console.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../domain/can-manage.js';
import { assertManagesEvent } from '../catalog/assert-manages-event.js';

const EntryRow = z.object({
  id: z.string(),
  position: z.number().nullable(),
  status: z.enum(['waiting', 'offered']),
  user_id: z.string(),
  user_name: z.string(),
  user_email: z.string(),
  quantity: z.number(),
  section: z.string().nullable(),
  since: z.date(),
});

/** GET /api/admin/events/:id/waitlist: open entries, offers first, then the line in order. */
export async function listWaitlistEntries(db: Db, actor: Actor, eventId: string): Promise<AdminWaitlistEntry[]> {
  await assertManagesEvent(db, actor, eventId);
  const rows = await db.any(
    sql.type(EntryRow)`SELECT w.id, w.status, w.quantity, w.created_at AS since, w.user_id,
        u.name AS user_name, u.email AS user_email, s.name AS section,
        CASE WHEN w.status = 'waiting'
             THEN row_number() OVER (PARTITION BY w.status ORDER BY w.seq) END AS position
       FROM waitlist_entries w JOIN users u ON u.id = w.user_id LEFT JOIN sections s ON s.id = w.section_id
      WHERE w.event_id = ${eventId} AND w.status IN ('waiting', 'offered')
      ORDER BY w.status = 'waiting', w.seq LIMIT 10000`,
  );
  return rows.map((r) => ({
    id: r.id,
    position: r.position,
    status: r.status,
    userId: r.user_id,
    userName: r.user_name,
    userEmail: r.user_email,
    quantity: r.quantity,
    section: r.section,
    since: r.since.toISOString(),
  }));
}
