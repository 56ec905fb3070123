import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export const WaitlistSpot = z.object({ position: z.number(), quantity: z.number(), created: z.boolean() });
export type WaitlistSpot = z.infer<typeof WaitlistSpot>;

export interface WaitlistEntryRequest {
  userId: string;
  quantity: number;
  sectionId: string | null;
  /** Audit data of a new entry; none: no audit entry (the caller writes its own). */
  audit?: Record<string, unknown>;
}

const SpotRow = WaitlistSpot.extend({ user_id: z.string() });

/**
 * Puts users at the back of the event's FIFO waitlist, in the order given, or keeps the open
 * entry each already has (one open entry per user and event, enforced by a partial unique
 * index; the first request of a user in `entries` counts). A position counts the waiting
 * entries ahead plus one. Joins of one event take turns (an advisory lock until commit), so the
 * sequence follows commit order and no two joiners ever get the same position; a batch takes
 * its turn once for all its entries. Returns each user's spot.
 */
export async function insertWaitlistEntries(
  tx: Db,
  eventId: string,
  entries: readonly WaitlistEntryRequest[],
): Promise<Map<string, WaitlistSpot>> {
  const first = new Map<string, WaitlistEntryRequest>();
  for (const e of entries) if (!first.has(e.userId)) first.set(e.userId, e);
  const list = [...first.values()];
  if (list.length === 0) return new Map();
  // A statement of its own: the insert's snapshot below is taken after the lock was granted.
  await tx.query(
    sql.type(
      z.object({ locked: z.number() }),
    )`SELECT count(pg_advisory_xact_lock(hashtext('waitlist-join:' || ${eventId}::text)))::int
      AS locked`,
  );
  const rows = await tx.any(
    sql.type(SpotRow)`WITH r AS MATERIALIZED (
       SELECT * FROM unnest(${sql.array(
         list.map((e) => e.userId),
         'uuid',
       )}, ${sql.array(
         list.map((e) => e.sectionId),
         'uuid',
       )}, ${sql.array(
         list.map((e) => e.quantity),
         'int4',
       )}, ${sql.array(
         list.map((e) => (e.audit ? JSON.stringify(e.audit) : null)),
         'jsonb',
       )}) WITH ORDINALITY AS r(user_id, section_id, quantity, audit, ord)
     ), ins AS (
       INSERT INTO waitlist_entries (event_id, user_id, section_id, quantity)
       SELECT ${eventId}::uuid, user_id, section_id, quantity FROM r ORDER BY ord
       ON CONFLICT (event_id, user_id) WHERE status IN ('waiting', 'offered') DO NOTHING
       RETURNING user_id, seq, quantity
     ), mine AS (
       SELECT user_id, seq, quantity, true AS created FROM ins
       UNION ALL
       SELECT w.user_id, w.seq, w.quantity, false FROM waitlist_entries w JOIN r ON r.user_id = w.user_id
        WHERE w.event_id = ${eventId} AND w.status IN ('waiting', 'offered')
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT ins.user_id, 'waitlist.joined', ${eventId}::uuid, 'waitlist', ins.user_id::text, r.audit
         FROM ins JOIN r ON r.user_id = ins.user_id WHERE r.audit IS NOT NULL
     )
     SELECT m.user_id, m.quantity, m.created,
            (SELECT count(*) FROM waitlist_entries w WHERE w.event_id = ${eventId} AND w.status = 'waiting' AND w.seq < m.seq)
          + (SELECT count(*) FROM ins i WHERE i.seq < m.seq) + 1 AS position
       FROM (SELECT DISTINCT ON (user_id) * FROM mine ORDER BY user_id, seq) m`,
  );
  return new Map(rows.map((r) => [r.user_id, { position: r.position, quantity: r.quantity, created: r.created }]));
}
