import { z } from 'zod';
import { SeatChange } from '../../contract/pushes.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const EndedRow = z.object({
  id: z.string(),
  event_id: z.string(),
  user_id: z.string(),
  source: z.enum(['user', 'waitlist']),
  seat_count: z.number(),
  changes: z.array(SeatChange),
});

export interface EndedHold {
  id: string;
  eventId: string;
  userId: string;
  source: 'user' | 'waitlist';
  seatCount: number;
  changes: SeatChange[];
}

export interface EndHoldRequest {
  holdId: string;
  to: 'released' | 'expired';
  /** Only this user's hold (release); null for the expiry worker. */
  userId: string | null;
  actorId: string | null;
}

/**
 * Ends live holds and frees their seats in one statement, however many, locking in the order
 * every seat transaction uses: the events (KEY SHARE, id order, so an event cancellation cannot
 * deadlock with us), the holds (id order), then their seats (id order). Each step is an InitPlan
 * (`ARRAY(SELECT …)`) of the next, so it is complete before the next takes a lock. The guard on
 * each hold row decides the race with confirmation: release needs `status = 'active'`; expiry
 * also needs `expires_at <= now()`, the exact complement of confirm's `expires_at > now()`, so for
 * any instant exactly one of them can match. Returns the holds whose guard matched, by id.
 */
export async function endHolds(tx: Db, requests: readonly EndHoldRequest[]): Promise<Map<string, EndedHold>> {
  if (requests.length === 0) return new Map();
  const rows = await tx.any(
    sql.type(EndedRow)`WITH r AS MATERIALIZED (
       SELECT * FROM unnest(${sql.array(
         requests.map((q) => q.holdId),
         'uuid',
       )}, ${sql.array(
         requests.map((q) => q.to),
         'text',
       )}, ${sql.array(
         requests.map((q) => q.userId),
         'uuid',
       )}, ${sql.array(
         requests.map((q) => q.actorId),
         'uuid',
       )}) AS r(hold_id, to_status, user_id, actor_id)
     ), e AS MATERIALIZED (
       SELECT id FROM events WHERE id IN (SELECT event_id FROM holds WHERE id IN (SELECT hold_id FROM r))
        ORDER BY id FOR KEY SHARE
     ), hl AS MATERIALIZED (
       SELECT id FROM holds
        WHERE id IN (SELECT hold_id FROM r) AND event_id = ANY(ARRAY(SELECT id FROM e)) AND status = 'active'
        ORDER BY id FOR UPDATE
     ), h AS (
       UPDATE holds SET status = r.to_status, ended_at = now() FROM r
        WHERE holds.id = r.hold_id AND holds.id = ANY(ARRAY(SELECT id FROM hl)) AND holds.status = 'active'
          AND (r.user_id IS NULL OR holds.user_id = r.user_id)
          AND (r.to_status <> 'expired' OR holds.expires_at <= now())
       RETURNING holds.id, holds.event_id, holds.user_id, holds.source, holds.seat_count, r.to_status, r.actor_id
     ), lk AS MATERIALIZED (
       SELECT id, hold_id FROM seats WHERE hold_id = ANY(ARRAY(SELECT id FROM h)) ORDER BY id FOR UPDATE
     ), s AS (
       UPDATE seats SET status = 'available', hold_id = NULL, version = seats.version + 1
         FROM lk WHERE seats.id = lk.id AND seats.status = 'held'
       RETURNING seats.id, seats.version, lk.hold_id
     ), w AS (
       UPDATE waitlist_entries SET status = 'lapsed', updated_at = now()
         FROM h WHERE waitlist_entries.offer_hold_id = h.id AND waitlist_entries.status = 'offered'
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT actor_id, 'hold.' || to_status, event_id, 'hold', id::text, jsonb_build_object('seats', seat_count) FROM h
     )
     SELECT h.id, h.event_id, h.user_id, h.source, h.seat_count,
            coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'available', 'version', s.version))
                        FROM s WHERE s.hold_id = h.id), '[]'::json) AS changes
       FROM h`,
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        id: row.id,
        eventId: row.event_id,
        userId: row.user_id,
        source: row.source,
        seatCount: row.seat_count,
        changes: row.changes,
      },
    ]),
  );
}

/** One hold; see endHolds. Null when its guard did not match. */
export async function endHold(tx: Db, r: EndHoldRequest): Promise<EndedHold | null> {
  return (await endHolds(tx, [r])).get(r.holdId) ?? null;
}
