import { z } from 'zod';
import { HoldReply } from '../../contract/commands.js';
import { lightRow } from '../../db/light-row.js';
import type { Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { CandidateSeat } from '../../domain/decide-hold.js';
import type { SaleWindow } from '../../domain/event-status.js';

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
  sale: SaleWindow;
  maxSeatsPerUser: number;
  expiresAt: Date;
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
  sale_starts_at: z.date(),
  starts_at: z.date(),
  max_seats_per_user: z.number(),
  expires_at: z.date(),
  counts: z.array(z.object({ userId: z.string(), n: z.number() })),
  stored: z.array(StoredReply),
  seats: z.array(SeatRow),
  free: z.array(SeatRow),
  known: z.array(z.string()),
});
const LightRow = lightRow(Row);

/**
 * One statement, run after the batch's event and per-user locks (a later statement, so its
 * snapshot sees every commit those locks waited for): the event's facts (holds open at the
 * presale start, as in writeHold: before the sale only presale code holders are admitted), each user's live held
 * plus booked seats, the stored replies of the batch's idempotency keys, the named seats, and per
 * window (a section or the whole event) up to `size` free seats in seating order. Seat rows are
 * locked FOR UPDATE SKIP LOCKED, in id order: a batch never waits for a seat row, so it takes
 * part in no deadlock, and one batch never queues behind another whose free-seat window happens
 * to cover a seat it names (measured: that made half the batches wait for another's commit).
 * Named seats that exist but were skipped come back as `busy`.
 * Windows are read per section through the partial index seats_free_by_place; rows the batch
 * does not use are free again at its commit.
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
         SELECT p.id, 'available' AS status, p.version, p.row, p.number, p.section_id, sec.name AS section,
                sec.position AS section_rank, sec.price_cents
           FROM sections sec CROSS JOIN LATERAL (
                  SELECT s.id, s.version, s.row, s.number, s.section_id FROM seats s
                   WHERE s.section_id = sec.id AND s.status = 'available'
                   ORDER BY s.row, s.number LIMIT w.size FOR UPDATE OF s SKIP LOCKED) p
          WHERE sec.event_id = ${eventId} AND (w.section IS NULL OR sec.name = w.section)
          ORDER BY sec.position, p.row, p.number LIMIT w.size) f
     )
     SELECT e.cancelled_at, coalesce(e.presale_starts_at, e.sale_starts_at) AS sale_starts_at, e.starts_at, e.max_seats_per_user,
            now() + make_interval(secs => e.hold_ttl_seconds) AS expires_at,
            (SELECT coalesce(json_agg(json_build_object('userId', u.id, 'n',
                (SELECT coalesce(sum(h.seat_count), 0) FROM holds h
                  WHERE h.user_id = u.id AND h.event_id = e.id AND h.status = 'active' AND h.expires_at > now())
              + (SELECT count(*) FROM bookings b JOIN booked_seats bs ON bs.booking_id = b.id
                  WHERE b.user_id = u.id AND b.event_id = e.id AND b.status = 'confirmed'))), '[]'::json)
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
    maxSeatsPerUser: ev.max_seats_per_user,
    expiresAt: ev.expires_at,
    heldOrOwned: new Map(ev.counts.map((c) => [c.userId, Number(c.n)])),
    stored: ev.stored,
    named: ev.seats,
    busy: ev.known.filter((id) => !lockedIds.has(id)),
    free: ev.free,
  };
}
