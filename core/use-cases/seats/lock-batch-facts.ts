import { z } from 'zod';
import { HoldReply } from '../../contract/commands.js';
import { lightRow } from '../../db/light-row.js';
import type { Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { CandidateSeat } from '../../domain/decide-hold.js';
import type { SaleWindow } from '../../domain/event-status.js';
import { freeSeatsInSeatingOrder } from './free-seats-in-seating-order.js';
import { seatsHeldOrOwned } from './seats-held-or-owned.js';

export const SeatRow = z.object({
  id: z.string(),
  status: z.enum(['available', 'held', 'sold']) satisfies z.ZodType<CandidateSeat['status']>,
  version: z.number(),
  row: z.number(),
  number: z.number(),
  section: z.string(),
  section_rank: z.number(),
  price_cents: z.number(),
  section_id: z.string(),
});
export type SeatRow = z.infer<typeof SeatRow>;

export function toCandidate(s: SeatRow): CandidateSeat {
  return {
    id: s.id,
    status: s.status,
    version: s.version,
    row: s.row,
    number: s.number,
    section: s.section,
    sectionRank: s.section_rank,
    sectionId: s.section_id,
    priceCents: s.price_cents,
  };
}

const StoredReply = z.object({
  userId: z.string(),
  key: z.string(),
  command: z.string(),
  requestHash: z.string(),
  reply: HoldReply,
});
export type StoredReply = z.infer<typeof StoredReply>;

export interface BatchFactsRow {
  /** The public sale window. */
  sale: SaleWindow;
  presaleStartsAt: Date | null;
  maxSeatsPerUser: number;
  /** When a hold made now expires (the event's hold TTL from the transaction's start). */
  expiresAt: Date;
  /** The database's clock at the transaction's start. */
  dbNow: Date;
  heldOrOwned: Map<string, number>;
  stored: StoredReply[];
  named: SeatRow[];
  /** Named seat ids of this event that another transaction has locked right now (skipped). */
  busy: string[];
  /** The free seats locked for best available, per window asked for. */
  free: SeatRow[];
}

const Row = z.object({
  cancelled_at: z.date().nullable(),
  presale_starts_at: z.date().nullable(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  max_seats_per_user: z.number(),
  expires_at: z.date(),
  db_now: z.date(),
  counts: z.array(z.object({ userId: z.string(), n: z.number() })),
  stored: z.array(StoredReply),
  seats: z.array(SeatRow),
  free: z.array(SeatRow),
  known: z.array(z.string()),
});
const LightRow = lightRow(Row);

/**
 * One statement, run after the batch's event and per-user locks (a later statement, so its
 * snapshot sees every commit those locks waited for): the event's facts (both sale starts:
 * decideHold knows which one a request needs), each user's seats held or
 * owned (seatsHeldOrOwned), the stored replies of the batch's idempotency keys, the named seats, and per
 * window (a section or the whole event) up to `size` free seats in seating order. Seat rows are
 * locked FOR UPDATE SKIP LOCKED, in id order: a batch never waits for a seat row, so it takes
 * part in no deadlock, and one batch never queues behind another whose free-seat window happens
 * to cover a seat it names (measured: that made half the batches wait for another's commit).
 * Named seats that exist but were skipped come back as `busy`. The windows are
 * freeSeatsInSeatingOrder.
 */
export async function lockBatchFacts(
  tx: Tx,
  eventId: string,
  users: readonly string[],
  keys: readonly { userId: string; key: string }[],
  namedSeatIds: readonly string[],
  windows: readonly { section: string | null; size: number }[],
): Promise<BatchFactsRow> {
  const named = sql.array(namedSeatIds, 'uuid');
  const ev = await tx.maybeOne(
    // The hot statement of group commit: checked the light way (every column and seat field's kind).
    sql.type(LightRow)`WITH named AS MATERIALIZED (
       SELECT s.id, s.status, s.version, s.row, s.number, s.section_id, sec.name AS section,
              sec.position AS section_rank, sec.price_cents
         FROM seats s JOIN sections sec ON sec.id = s.section_id
        WHERE s.event_id = ${eventId} AND s.id = ANY(${named})
        ORDER BY s.id FOR UPDATE OF s SKIP LOCKED
     ), free AS MATERIALIZED (
       SELECT f.* FROM unnest(${sql.array(
         windows.map((w) => w.section),
         'text',
       )}, ${sql.array(
         windows.map((w) => w.size),
         'int4',
       )}) AS w(section, size) CROSS JOIN LATERAL (
         ${freeSeatsInSeatingOrder({ eventId, section: sql.fragment`w.section`, size: sql.fragment`w.size`, locked: true })}) f
     )
     SELECT e.cancelled_at, e.presale_starts_at, e.sale_starts_at, e.starts_at, e.max_seats_per_user,
            now() + make_interval(secs => e.hold_ttl_seconds) AS expires_at, now() AS db_now,
            (SELECT coalesce(json_agg(json_build_object('userId', u.id,
                'n', ${seatsHeldOrOwned({ userId: sql.fragment`u.id`, eventId: sql.fragment`e.id` })})), '[]'::json)
               FROM unnest(${sql.array(users, 'uuid')}) AS u(id)) AS counts,
            (SELECT coalesce(json_agg(json_build_object('userId', r.user_id, 'key', r.key, 'command', r.command,
                                                        'requestHash', r.request_hash, 'reply', r.reply)), '[]'::json)
               FROM unnest(${sql.array(
                 keys.map((k) => k.userId),
                 'uuid',
               )}, ${sql.array(
                 keys.map((k) => k.key),
                 'text',
               )}) AS k(user_id, key)
               JOIN idempotency_records r ON r.user_id = k.user_id AND r.key = k.key) AS stored,
            (SELECT coalesce(json_agg(n ORDER BY n.id), '[]'::json) FROM named n) AS seats,
            (SELECT coalesce(json_agg(f), '[]'::json) FROM free f) AS free,
            (SELECT coalesce(array_agg(s.id), '{}') FROM seats s WHERE s.event_id = e.id AND s.id = ANY(${named})) AS known
       FROM events e WHERE e.id = ${eventId}`,
  );
  if (!ev) throw new AppError('NOT_FOUND', 'no such event');
  const lockedIds = new Set(ev.seats.map((s) => s.id));
  return {
    sale: { cancelledAt: ev.cancelled_at, saleStartsAt: ev.sale_starts_at, startsAt: ev.starts_at },
    presaleStartsAt: ev.presale_starts_at,
    maxSeatsPerUser: ev.max_seats_per_user,
    expiresAt: ev.expires_at,
    dbNow: ev.db_now,
    heldOrOwned: new Map(ev.counts.map((c) => [c.userId, Number(c.n)])),
    stored: ev.stored,
    named: ev.seats,
    busy: ev.known.filter((id) => !lockedIds.has(id)),
    free: ev.free,
  };
}
