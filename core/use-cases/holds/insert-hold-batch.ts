import type { SeatChange } from '../../contract/pushes.js';
import type { PoolClient } from '../../db/pool.js';
import type { LockedSeat } from './insert-hold.js';

export interface BatchHold {
  holdId: string;
  userId: string;
  /** Locked by this transaction and seen available at these versions. */
  seats: readonly LockedSeat[];
  totalCents: number;
  /** Audit entry data (what hold.created records). */
  audit: Record<string, unknown>;
  idempotency: { key: string; command: string; requestHash: string; reply: unknown };
}

/**
 * The writes of a whole batch in one set-based statement: every hold row, every guarded seat
 * move (`status = 'available' AND version = $v`, on rows this transaction has locked), the hold
 * seat lists, the audit entries and the idempotency records. Returns the seat changes per hold;
 * throws (rolling the batch back) unless every seat moved: the batch is written whole or not at all.
 */
export async function insertHoldBatch(
  tx: PoolClient,
  eventId: string,
  expiresAt: Date,
  holds: readonly BatchHold[],
): Promise<Map<string, SeatChange[]>> {
  const seatIds: string[] = [];
  const seatHolds: string[] = [];
  const seatVersions: number[] = [];
  const seatPrices: number[] = [];
  for (const h of holds) {
    for (const s of h.seats) {
      seatIds.push(s.id);
      seatHolds.push(h.holdId);
      seatVersions.push(s.version);
      seatPrices.push(s.priceCents);
    }
  }
  const { rows } = await tx.query<{ seatId: string; version: number; holdId: string }>({
    name: 'hold-batch-insert',
    text: `WITH h AS (
       INSERT INTO holds (id, event_id, user_id, source, seat_count, total_cents, expires_at)
       SELECT x.id, $1::uuid, x.user_id, 'user', x.seat_count, x.total, $2::timestamptz
         FROM unnest($3::uuid[], $4::uuid[], $5::int[], $6::int[]) AS x(id, user_id, seat_count, total)
     ), s AS (
       UPDATE seats SET status = 'held', hold_id = x.hold_id, version = seats.version + 1
         FROM unnest($7::uuid[], $8::uuid[], $9::int[]) AS x(id, hold_id, version)
        WHERE seats.id = x.id AND seats.event_id = $1::uuid AND seats.version = x.version AND seats.status = 'available'
       RETURNING seats.id, seats.version, seats.hold_id
     ), hs AS (
       INSERT INTO hold_seats (hold_id, seat_id, price_cents)
       SELECT x.hold_id, x.id, x.price FROM unnest($8::uuid[], $7::uuid[], $10::int[]) AS x(hold_id, id, price)
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT x.user_id, 'hold.created', $1::uuid, 'hold', x.id::text, x.data
         FROM unnest($3::uuid[], $4::uuid[], $11::jsonb[]) AS x(id, user_id, data)
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT * FROM unnest($4::uuid[], $12::text[], $13::text[], $14::text[], $15::jsonb[])
     )
     SELECT s.id AS "seatId", s.version, s.hold_id AS "holdId" FROM s`,
    values: [
      eventId,
      expiresAt,
      holds.map((h) => h.holdId),
      holds.map((h) => h.userId),
      holds.map((h) => h.seats.length),
      holds.map((h) => h.totalCents),
      seatIds,
      seatHolds,
      seatVersions,
      seatPrices,
      holds.map((h) => JSON.stringify(h.audit)),
      holds.map((h) => h.idempotency.key),
      holds.map((h) => h.idempotency.command),
      holds.map((h) => h.idempotency.requestHash),
      holds.map((h) => JSON.stringify(h.idempotency.reply)),
    ],
  });
  if (rows.length !== seatIds.length) {
    throw new Error(`hold batch: ${rows.length} of ${seatIds.length} seats moved; rolling back`);
  }
  const changes = new Map<string, SeatChange[]>();
  for (const r of rows) {
    const list = changes.get(r.holdId) ?? [];
    changes.set(r.holdId, list);
    list.push({ seatId: r.seatId, status: 'held', version: r.version });
  }
  return changes;
}
