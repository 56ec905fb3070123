import { SeatChange } from '../../contract/pushes.js';
import { lightRow } from '../../db/light-row.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const LightSeatChange = lightRow(SeatChange);

export interface LockedSeat {
  id: string;
  version: number;
  priceCents: number;
}

export interface NewHold {
  holdId: string;
  eventId: string;
  userId: string;
  source: 'user' | 'waitlist';
  /** Seats this transaction has locked (FOR UPDATE) and seen available at these versions. */
  seats: readonly LockedSeat[];
  expiresAt: Date;
  actorId: string | null;
  idempotency?: { key: string; command: string; requestHash: string; reply: unknown };
}

/**
 * One statement: the hold row, the guarded seat moves (`status = 'available' AND version = $v`),
 * the hold's seat list, the audit entry and the idempotency record. Throws (so the caller's
 * transaction rolls back) unless every seat moved.
 */
export async function insertHold(tx: Db, h: NewHold): Promise<SeatChange[]> {
  const ids = h.seats.map((s) => s.id);
  const total = h.seats.reduce((n, s) => n + s.priceCents, 0);
  const seats = sql.array(ids, 'uuid');
  const key = h.idempotency?.key ?? null;
  const rows = await tx.any(
    sql.type(LightSeatChange)`WITH h AS (
       INSERT INTO holds (id, event_id, user_id, source, seat_count, total_cents, expires_at)
       VALUES (${h.holdId}::uuid, ${h.eventId}::uuid, ${h.userId}::uuid, ${h.source}, cardinality(${seats}), ${total},
               ${sql.timestamp(h.expiresAt)})
       RETURNING id
     ), s AS (
       UPDATE seats SET status = 'held', hold_id = (SELECT id FROM h), version = seats.version + 1
         FROM unnest(${seats}, ${sql.array(
           h.seats.map((s) => s.version),
           'int4',
         )}) AS x(id, version)
        WHERE seats.id = x.id AND seats.event_id = ${h.eventId}::uuid AND seats.version = x.version AND seats.status = 'available'
       RETURNING seats.id, seats.version
     ), hs AS (
       INSERT INTO hold_seats (hold_id, seat_id, price_cents)
       SELECT (SELECT id FROM h), x.id, x.price FROM unnest(${seats}, ${sql.array(
         h.seats.map((s) => s.priceCents),
         'int4',
       )}) AS x(id, price)
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       VALUES (${h.actorId}::uuid, 'hold.created', ${h.eventId}::uuid, 'hold', ${h.holdId}::text,
               jsonb_build_object('userId', ${h.userId}::uuid, 'source', ${h.source}::text, 'seats', ${seats},
                                  'totalCents', ${total}::int))
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT ${h.userId}::uuid, ${key}::text, ${h.idempotency?.command ?? null}::text, ${h.idempotency?.requestHash ?? null}::text,
              ${h.idempotency ? JSON.stringify(h.idempotency.reply) : null}::jsonb
        WHERE ${key}::text IS NOT NULL
     )
     SELECT s.id AS "seatId", 'held' AS status, s.version FROM s`,
  );
  if (rows.length !== ids.length) {
    throw new Error(`hold ${h.holdId}: ${rows.length} of ${ids.length} seats moved; rolling back`);
  }
  return [...rows];
}
