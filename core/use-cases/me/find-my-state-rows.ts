import { z } from 'zod';
import { MyHold } from '../../contract/me-state.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** An event whose waiting room may hold the user: not cancelled, not started. */
export const OpenRoom = z.object({
  eventId: z.string(),
  maxActive: z.number(),
  admitPerTick: z.number(),
  tickMs: z.number(),
  sessionTtlSeconds: z.number(),
  targetHoldP95Ms: z.number(),
  auto: z.boolean(),
  paused: z.boolean(),
  saleStartsAtMs: z.number(),
  endsAtMs: z.number(),
});
export type OpenRoom = z.infer<typeof OpenRoom>;

const MyStateRow = z.object({
  at: z.string(),
  holds: z.array(MyHold),
  waitlists: z.array(
    z.object({ eventId: z.string(), position: z.number(), quantity: z.number(), section: z.string().nullable() }),
  ),
  rooms: z.array(OpenRoom),
});
export type MyStateRow = z.infer<typeof MyStateRow>;

/** ISO text with milliseconds, truncated the way a JS Date truncates (hold replies are built from one). */
const isoMs = (column: ReturnType<typeof sql.identifier>) =>
  sql.fragment`to_char(date_trunc('milliseconds', ${column}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const epochMs = (column: ReturnType<typeof sql.identifier>) => sql.fragment`floor(extract(epoch FROM ${column}) * 1000)::int8`;

/**
 * Everything Postgres knows of one user's state in one statement: active holds still inside their
 * time (Postgres's clock, the one confirm and expiry use: a hold past `expires_at` is never listed,
 * even before the sweep ends it), waiting waitlist entries with their place, and the events whose
 * waiting room may hold the user (their admission settings, for the ETA). Indexes: holds_active_user,
 * events_catalog (upcoming), waitlist_open_entry and waitlist_queue.
 */
export async function findMyStateRows(db: Db, userId: string): Promise<MyStateRow> {
  return db.one(
    sql.type(MyStateRow)`WITH open_events AS (
        SELECT * FROM events WHERE cancelled_at IS NULL AND starts_at > now()
      )
      SELECT ${isoMs(sql.identifier(['now']))} AS at,
        coalesce((SELECT json_agg(json_build_object(
            'holdId', h.id, 'eventId', h.event_id, 'totalCents', h.total_cents,
            'expiresAt', ${isoMs(sql.identifier(['h', 'expires_at']))},
            'origin', CASE WHEN h.source = 'waitlist' THEN 'waitlist' ELSE 'buyer' END,
            'seats', coalesce((SELECT json_agg(json_build_object('id', s.id, 'section', sec.name, 'row', s.row,
                                 'number', s.number, 'priceCents', hs.price_cents) ORDER BY sec.position, s.row, s.number)
                                 FROM hold_seats hs JOIN seats s ON s.id = hs.seat_id JOIN sections sec ON sec.id = s.section_id
                                WHERE hs.hold_id = h.id), '[]'::json)) ORDER BY h.expires_at, h.id)
           FROM holds h WHERE h.user_id = ${userId} AND h.status = 'active' AND h.expires_at > now()), '[]'::json) AS holds,
        coalesce((SELECT json_agg(json_build_object(
            'eventId', w.event_id, 'quantity', w.quantity, 'section', sec.name,
            'position', (SELECT count(*) FROM waitlist_entries o
                          WHERE o.event_id = w.event_id AND o.status = 'waiting' AND o.seq <= w.seq)) ORDER BY w.seq)
           FROM waitlist_entries w LEFT JOIN sections sec ON sec.id = w.section_id
          WHERE w.event_id IN (SELECT id FROM open_events) AND w.user_id = ${userId} AND w.status = 'waiting'), '[]'::json) AS waitlists,
        coalesce((SELECT json_agg(json_build_object(
            'eventId', e.id, 'maxActive', e.admission_max_active, 'admitPerTick', e.admission_admit_per_tick,
            'tickMs', e.admission_tick_ms, 'sessionTtlSeconds', e.admission_session_ttl_seconds,
            'targetHoldP95Ms', e.admission_target_hold_p95_ms, 'auto', e.admission_auto, 'paused', e.admission_paused,
            'saleStartsAtMs', ${epochMs(sql.identifier(['e', 'sale_starts_at']))},
            'endsAtMs', ${epochMs(sql.identifier(['e', 'starts_at']))}))
           FROM open_events e), '[]'::json) AS rooms
      FROM (SELECT now() AS now) AS t`,
  );
}
