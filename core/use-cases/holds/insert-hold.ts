import type { SeatChange } from '../../contract/pushes.js';
import type { Queryable } from '../../db/pool.js';

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
export async function insertHold(tx: Queryable, h: NewHold): Promise<SeatChange[]> {
  const ids = h.seats.map((s) => s.id);
  const total = h.seats.reduce((n, s) => n + s.priceCents, 0);
  const { rows } = await tx.query<SeatChange>({
    name: 'insert-hold',
    text: `WITH h AS (
       INSERT INTO holds (id, event_id, user_id, source, seat_count, total_cents, expires_at)
       VALUES ($1::uuid, $2::uuid, $3::uuid, $4, cardinality($5::uuid[]), $7, $8) RETURNING id
     ), s AS (
       UPDATE seats SET status = 'held', hold_id = (SELECT id FROM h), version = seats.version + 1
         FROM unnest($5::uuid[], $6::int[]) AS x(id, version)
        WHERE seats.id = x.id AND seats.event_id = $2::uuid AND seats.version = x.version AND seats.status = 'available'
       RETURNING seats.id, seats.version
     ), hs AS (
       INSERT INTO hold_seats (hold_id, seat_id, price_cents)
       SELECT (SELECT id FROM h), x.id, x.price FROM unnest($5::uuid[], $9::int[]) AS x(id, price)
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       VALUES ($10::uuid, 'hold.created', $2::uuid, 'hold', $1::text,
               jsonb_build_object('userId', $3::uuid, 'source', $4::text, 'seats', $5::uuid[], 'totalCents', $7::int))
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT $3::uuid, $11::text, $12::text, $13::text, $14::jsonb WHERE $11::text IS NOT NULL
     )
     SELECT s.id AS "seatId", 'held' AS status, s.version FROM s`,
    values: [
      h.holdId,
      h.eventId,
      h.userId,
      h.source,
      ids,
      h.seats.map((s) => s.version),
      total,
      h.expiresAt,
      h.seats.map((s) => s.priceCents),
      h.actorId,
      h.idempotency?.key ?? null,
      h.idempotency?.command ?? null,
      h.idempotency?.requestHash ?? null,
      h.idempotency ? JSON.stringify(h.idempotency.reply) : null,
    ],
  });
  if (rows.length !== ids.length) {
    throw new Error(`hold ${h.holdId}: ${rows.length} of ${ids.length} seats moved; rolling back`);
  }
  return rows;
}
