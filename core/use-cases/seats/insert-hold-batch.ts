import type { SerializableValue } from 'slonik';
import { z } from 'zod';
import type { HoldReply } from '../../contract/commands.js';
import type { SeatChange } from '../../contract/pushes.js';
import { jsonRows } from '../../db/json-rows.js';
import { lightRow } from '../../db/light-row.js';
import type { Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const MovedSeat = z.object({ seatId: z.string(), version: z.number(), holdId: z.string() });
const LightMovedSeat = lightRow(MovedSeat);

export interface LockedSeat {
  id: string;
  version: number;
  priceCents: number;
}

export interface BatchHold {
  holdId: string;
  userId: string;
  source: 'user' | 'waitlist';
  /** Who the audit entry names as acting (null: the system). */
  actorId: string | null;
  /** Locked by this transaction and seen available at these versions. */
  seats: readonly LockedSeat[];
  totalCents: number;
  expiresAt: Date;
  /** Audit entry data (what hold.created records). */
  audit: { [key: string]: SerializableValue };
  /** The command's idempotency record; none for a waitlist offer. */
  idempotency: { key: string; command: string; requestHash: string; reply: HoldReply } | null;
}

/**
 * The writes of a whole batch in one set-based statement: every hold row, every guarded seat
 * move (`status = 'available' AND version = $v`, on rows this transaction has locked), the hold
 * seat lists, the audit entries and the idempotency records (audit data and replies as
 * `jsonRows`, matched by position). Returns the seat changes per hold; throws (rolling the batch
 * back) unless every seat moved: the batch is written whole or not at all.
 */
export async function insertHoldBatch(tx: Tx, eventId: string, holds: readonly BatchHold[]): Promise<Map<string, SeatChange[]>> {
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
  const holdIds = sql.array(
    holds.map((h) => h.holdId),
    'uuid',
  );
  const userIds = sql.array(
    holds.map((h) => h.userId),
    'uuid',
  );
  const seatIdList = sql.array(seatIds, 'uuid');
  const records = holds.flatMap((h) => (h.idempotency ? [{ userId: h.userId, ...h.idempotency }] : []));
  const seatHoldList = sql.array(seatHolds, 'uuid');
  const rows = await tx.any(
    sql.type(LightMovedSeat)`WITH h AS (
       INSERT INTO holds (id, event_id, user_id, source, seat_count, total_cents, expires_at)
       SELECT x.id, ${eventId}::uuid, x.user_id, x.source, x.seat_count, x.total, x.expires_at
         FROM unnest(${holdIds}, ${userIds}, ${sql.array(
           holds.map((h) => h.source),
           'text',
         )}, ${sql.array(
           holds.map((h) => h.seats.length),
           'int4',
         )}, ${sql.array(
           holds.map((h) => h.totalCents),
           'int4',
         )}, ${sql.array(
           holds.map((h) => h.expiresAt.toISOString()),
           'timestamptz',
         )}) AS x(id, user_id, source, seat_count, total, expires_at)
     ), s AS (
       UPDATE seats SET status = 'held', hold_id = x.hold_id, version = seats.version + 1
         FROM unnest(${seatIdList}, ${seatHoldList}, ${sql.array(seatVersions, 'int4')}) AS x(id, hold_id, version)
        WHERE seats.id = x.id AND seats.event_id = ${eventId}::uuid AND seats.version = x.version AND seats.status = 'available'
       RETURNING seats.id, seats.version, seats.hold_id
     ), hs AS (
       INSERT INTO hold_seats (hold_id, seat_id, price_cents)
       SELECT x.hold_id, x.id, x.price FROM unnest(${seatHoldList}, ${seatIdList}, ${sql.array(seatPrices, 'int4')}) AS x(hold_id, id, price)
     ), a AS (
       INSERT INTO audit_log (actor_id, action, event_id, entity_type, entity_id, data)
       SELECT x.actor_id, 'hold.created', ${eventId}::uuid, 'hold', x.id::text, d.data
         FROM unnest(${holdIds}, ${sql.array(
           holds.map((h) => h.actorId),
           'uuid',
         )}) WITH ORDINALITY AS x(id, actor_id, n)
         JOIN ${jsonRows(holds.map((h) => h.audit))} AS d(data, n) USING (n)
     ), i AS (
       INSERT INTO idempotency_records (user_id, key, command, request_hash, reply)
       SELECT x.user_id, x.key, x.command, x.request_hash, d.reply
         FROM unnest(${sql.array(
           records.map((r) => r.userId),
           'uuid',
         )}, ${sql.array(
           records.map((r) => r.key),
           'text',
         )}, ${sql.array(
           records.map((r) => r.command),
           'text',
         )}, ${sql.array(
           records.map((r) => r.requestHash),
           'text',
         )}) WITH ORDINALITY AS x(user_id, key, command, request_hash, n)
         JOIN ${jsonRows(records.map((r) => r.reply))} AS d(reply, n) USING (n)
     )
     SELECT s.id AS "seatId", s.version, s.hold_id AS "holdId" FROM s`,
  );
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
