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
 * Ends a live hold and frees its seats in one statement, locking in the order every seat
 * transaction uses: the event row (KEY SHARE, so an event cancellation cannot deadlock with us),
 * the hold, then its seats in id order. The guard on the hold row decides the
 * race with confirmation: release needs `status = 'active'`; expiry also needs
 * `expires_at <= now()`, the exact complement of confirm's `expires_at > now()`, so for any
 * instant exactly one of them can match. Returns null when the guard did not match.
 */
export async function endHold(tx: Db, r: EndHoldRequest): Promise<EndedHold | null> {
  const row = await tx.maybeOne(
    sql.type(EndedRow)`WITH e AS MATERIALIZED (
       SELECT id FROM events WHERE id = (SELECT event_id FROM holds WHERE id = ${r.holdId}::uuid) FOR KEY SHARE
     ), h AS (
       UPDATE holds SET status = ${r.to}::text, ended_at = now()
        WHERE id = ${r.holdId}::uuid AND event_id = (SELECT id FROM e) AND status = 'active'
          AND (${r.userId}::uuid IS NULL OR user_id = ${r.userId}::uuid)
          AND (${r.to}::text <> 'expired' OR expires_at <= now())
       RETURNING id, event_id, user_id, source, seat_count
     ), lk AS MATERIALIZED (
       SELECT id FROM seats WHERE hold_id = (SELECT id FROM h) ORDER BY id FOR UPDATE
     ), s AS (
       UPDATE seats SET status = 'available', hold_id = NULL, version = seats.version + 1
         FROM lk WHERE seats.id = lk.id AND seats.status = 'held'
       RETURNING seats.id, seats.version
     ), w AS (
       UPDATE waitlist_entries SET status = 'lapsed', updated_at = now()
        WHERE offer_hold_id = (SELECT id FROM h) AND status = 'offered'
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT ${r.actorId}::uuid, 'hold.' || ${r.to}::text, event_id, 'hold', id::text, jsonb_build_object('seats', seat_count) FROM h
     )
     SELECT h.id, h.event_id, h.user_id, h.source, h.seat_count,
            coalesce((SELECT json_agg(json_build_object('seatId', s.id, 'status', 'available', 'version', s.version)) FROM s),
                     '[]'::json) AS changes
       FROM h`,
  );
  if (!row) return null;
  return {
    id: row.id,
    eventId: row.event_id,
    userId: row.user_id,
    source: row.source,
    seatCount: row.seat_count,
    changes: row.changes,
  };
}
