import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { HoldReply } from '../../contract/commands.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withLockedTransaction } from '../../db/with-locked-transaction.js';
import { AppError } from '../../domain/app-error.js';
import type { CandidateSeat, HoldDecision, HoldRequest } from '../../domain/decide-hold.js';
import { type BatchItem, decideHoldBatch } from '../../domain/decide-hold-batch.js';
import { orderSeats, toSeatRef, totalCents } from '../../domain/order-seats.js';
import { type IdempotencyRef, isIdempotencyKeyTaken } from '../idempotency/find-idempotent-reply.js';
import { enqueueNotifications } from '../notifications/enqueue-notification.js';
import { holdLimitLockKey } from './hold-limit-lock-key.js';
import { type BatchHold, insertHoldBatch } from './insert-hold-batch.js';
import { insertWaitlistEntries, type WaitlistSpot } from './insert-waitlist-entry.js';
import { lockBatchFacts, toCandidate } from './lock-batch-facts.js';
import { waitlistOfferLockKey } from './waitlist-offer-lock-key.js';

/** Who asks for a hold: a buyer's command, or the waitlist offering freed seats to the head of its line. */
export type HoldAsker =
  | {
      kind: 'buyer';
      idempotency: IdempotencyRef;
      /** A partial hold puts the seats it could not get on the waitlist, in the same transaction. */
      waitlistRest: boolean;
    }
  | {
      kind: 'offer';
      /** The waiting entry the hold is offered for: it becomes `offered` with the hold (or `lapsed`
       * when the user has no allowance left); closed meanwhile (a leave), nothing is held. */
      entryId: string;
      /** An offer lasts this long, not the event's hold TTL. */
      ttlSeconds: number;
    };

export interface BatchHoldRequest {
  userId: string;
  request: HoldRequest;
  asker: HoldAsker;
}

export type BatchHoldOutcome =
  | { kind: 'held'; reply: HoldReply; changes: SeatChange[] }
  | { kind: 'replay'; reply: HoldReply }
  | { kind: 'refused'; error: AppError }
  /** Best available found too few free seats among the unlocked ones: the caller decides. */
  | { kind: 'short' }
  /** A named seat is locked by another transaction right now: try again in a later batch. */
  | { kind: 'busy' }
  /** The waitlist entry an offer was for is no longer waiting. */
  | { kind: 'closed' };

/** Free seats a batch locks per section for its best-available requests: room to choose runs. */
const windowFor = (quantity: number) => Math.min(2000, quantity * 2 + 10);

/**
 * One group-commit transaction for concurrent `seats:hold` requests of one event: the event row,
 * every user's advisory lock (ascending), the named seats (id order), a window of free seats for
 * best available (SKIP LOCKED), then each request decided against what was locked, first come
 * first served (decideHoldBatch), and every hold written in one statement. Each request gets its
 * own outcome; one that cannot be served changes nothing for the others. A batch whose write
 * met an idempotency record written meanwhile (same user and key via another command) is run
 * again once, and then answers that request CONFLICT like the single path would.
 */
export async function writeHoldBatch(
  pool: Pool,
  eventId: string,
  items: readonly BatchHoldRequest[],
  now: Date,
): Promise<BatchHoldOutcome[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await runBatch(pool, eventId, items, now);
    } catch (err) {
      if (attempt === 0 && isIdempotencyKeyTaken(err)) continue;
      throw err;
    }
  }
}

const keyOf = (i: BatchHoldRequest) => (i.asker.kind === 'buyer' ? i.asker.idempotency : null);
const offerOf = (i: BatchHoldRequest) => (i.asker.kind === 'offer' ? i.asker : null);

function runBatch(pool: Pool, eventId: string, items: readonly BatchHoldRequest[], now: Date): Promise<BatchHoldOutcome[]> {
  const users = [...new Set(items.map((i) => i.userId))];
  const entryIds = items.flatMap((i) => offerOf(i)?.entryId ?? []);
  const keys = users.map((u) => holdLimitLockKey(u, eventId));
  if (entryIds.length > 0) keys.push(waitlistOfferLockKey(eventId));
  return withLockedTransaction(pool, { eventId, keys }, async (tx) => {
    // The lock order of every seat transaction: event, per-user locks, waitlist rows, seats.
    const waiting = entryIds.length > 0 ? await lockWaitingEntries(tx, entryIds) : new Set<string>();
    const named = [...new Set(items.flatMap((i) => ('seatIds' in i.request ? i.request.seatIds : [])))];
    // One window of free seats per section asked for (null: the whole event), sized for what is asked there.
    const asked = new Map<string | null, number>();
    for (const i of items) {
      if ('quantity' in i.request) asked.set(i.request.section, (asked.get(i.request.section) ?? 0) + i.request.quantity);
    }
    const facts = await lockBatchFacts(
      tx,
      eventId,
      users,
      items.flatMap((i) => {
        const k = keyOf(i);
        return k ? [{ userId: i.userId, key: k.key }] : [];
      }),
      named,
      [...asked].map(([section, quantity]) => ({ section, size: windowFor(quantity) })),
    );
    // In seating order, once per batch: best available filters these per request and sorts
    // what it filters, which is then already in order (it was 3.8 % of a gateway's burst).
    const candidates = new Map<string, CandidateSeat>(facts.named.map((s) => [s.id, toCandidate(s)]));
    for (const s of facts.free) if (!candidates.has(s.id)) candidates.set(s.id, toCandidate(s));
    const seats = new Map(orderSeats([...candidates.values()]).map((s) => [s.id, s]));

    // Replays and in-batch duplicates are answered from the stored or the first reply.
    const outcomes: (BatchHoldOutcome | null)[] = items.map(() => null);
    const stored = new Map(facts.stored.map((r) => [`${r.userId}:${r.key}`, r]));
    const busy = new Set(facts.busy);
    const firstOfKey = new Map<string, number>();
    const deciding: { index: number; item: BatchItem }[] = [];
    items.forEach((item, index) => {
      const offer = offerOf(item);
      if (offer) {
        if (waiting.has(offer.entryId)) deciding.push({ index, item: { userId: item.userId, request: item.request } });
        else outcomes[index] = { kind: 'closed' };
        return;
      }
      const key = keyOf(item) as IdempotencyRef;
      const id = `${item.userId}:${key.key}`;
      const prior = stored.get(id);
      if (prior) {
        outcomes[index] = sameRequest(prior, key)
          ? { kind: 'replay', reply: prior.reply }
          : { kind: 'refused', error: conflict() };
        return;
      }
      if (firstOfKey.has(id)) return; // answered after the first of its key, below
      firstOfKey.set(id, index);
      if ('seatIds' in item.request && item.request.seatIds.some((s) => busy.has(s))) {
        outcomes[index] = { kind: 'busy' };
        return;
      }
      deciding.push({ index, item: { userId: item.userId, request: item.request } });
    });
    const decisions = decideHoldBatch(
      {
        sale: facts.sale,
        presaleStartsAt: facts.presaleStartsAt,
        now,
        maxSeatsPerUser: facts.maxSeatsPerUser,
        heldOrOwned: facts.heldOrOwned,
        seats,
      },
      deciding.map((d) => d.item),
    );

    const waitlisted = await waitlistShortfalls(
      tx,
      eventId,
      deciding.map((d, k) => ({ item: items[d.index] as BatchHoldRequest, decision: decisions[k] as HoldDecision })),
    );
    const holds: BatchHold[] = [];
    const replies = new Map<number, HoldReply>();
    const offered: OfferMade[] = [];
    const lapsed: string[] = [];
    for (let k = 0; k < deciding.length; k++) {
      const { index } = deciding[k] as { index: number };
      const decision = decisions[k] as HoldDecision;
      const item = items[index] as BatchHoldRequest;
      const { asker } = item;
      if (decision.kind === 'refuse') {
        outcomes[index] = { kind: 'refused', error: decision.error };
        // The head of the line already holds or owns all they may: their turn is over.
        if (asker.kind === 'offer' && decision.error.code === 'HOLD_LIMIT_EXCEEDED') lapsed.push(asker.entryId);
      } else if (decision.kind === 'short') outcomes[index] = { kind: 'short' };
      else {
        const refs = decision.seats.map(toSeatRef);
        const spot =
          asker.kind === 'buyer' && asker.waitlistRest && decision.shortfall > 0 ? waitlisted.get(item.userId) : undefined;
        const expiresAt = asker.kind === 'offer' ? new Date(facts.dbNow.getTime() + asker.ttlSeconds * 1000) : facts.expiresAt;
        const reply: HoldReply = {
          holdId: randomUUID(),
          eventId,
          seats: refs,
          totalCents: totalCents(refs),
          expiresAt: expiresAt.toISOString(),
          ...(spot ? { waitlist: { position: spot.position, quantity: spot.quantity } } : {}),
        };
        replies.set(index, reply);
        const source = asker.kind === 'offer' ? 'waitlist' : 'user';
        holds.push({
          holdId: reply.holdId,
          userId: item.userId,
          source,
          // An offer is made by nobody: the worker acts for the line.
          actorId: asker.kind === 'offer' ? null : item.userId,
          seats: decision.seats,
          totalCents: reply.totalCents,
          expiresAt,
          audit: { userId: item.userId, source, seats: refs.map((s) => s.id), totalCents: reply.totalCents },
          idempotency: asker.kind === 'buyer' ? { ...asker.idempotency, reply } : null,
        });
        if (asker.kind === 'offer') offered.push({ entryId: asker.entryId, userId: item.userId, reply });
      }
    }
    const changes = holds.length > 0 ? await insertHoldBatch(tx, eventId, holds) : new Map();
    for (const [index, reply] of replies) outcomes[index] = { kind: 'held', reply, changes: changes.get(reply.holdId) ?? [] };
    if (offered.length > 0 || lapsed.length > 0) await settleWaitlistEntries(tx, eventId, offered, lapsed);

    return items.map((item, index) => {
      const own = outcomes[index];
      if (own) return own;
      // A duplicate of an earlier request of this batch: its reply (or its refusal), or CONFLICT.
      const key = keyOf(item) as IdempotencyRef;
      const first = firstOfKey.get(`${item.userId}:${key.key}`) as number;
      const firstOutcome = outcomes[first] as BatchHoldOutcome;
      if (keyOf(items[first] as BatchHoldRequest)?.requestHash !== key.requestHash) {
        return { kind: 'refused', error: conflict() };
      }
      return firstOutcome.kind === 'held' ? { kind: 'replay', reply: firstOutcome.reply } : firstOutcome;
    });
  });
}

/**
 * The shortfall of every partial hold that asked for it (waitlistRest) joins the waitlist, in
 * request order: for the same section (any seat for named seats). After the seat rows, like
 * every seat transaction that waitlists.
 */
async function waitlistShortfalls(
  tx: Tx,
  eventId: string,
  decided: readonly { item: BatchHoldRequest; decision: HoldDecision }[],
): Promise<Map<string, WaitlistSpot>> {
  const entries = decided.flatMap(({ item, decision }) =>
    decision.kind === 'take' && decision.shortfall > 0 && item.asker.kind === 'buyer' && item.asker.waitlistRest
      ? [
          {
            userId: item.userId,
            quantity: decision.shortfall,
            sectionId: 'section' in item.request && item.request.section !== null ? (decision.seats[0]?.sectionId ?? null) : null,
          },
        ]
      : [],
  );
  return entries.length > 0 ? insertWaitlistEntries(tx, eventId, entries) : new Map();
}

/** The waitlist entries offers are for that are still waiting, locked until commit. */
async function lockWaitingEntries(tx: Tx, entryIds: readonly string[]): Promise<Set<string>> {
  const rows = await tx.any(
    sql.type(z.object({ id: z.string() }))`SELECT id FROM waitlist_entries
      WHERE id = ANY(${sql.array(entryIds, 'uuid')}) AND status = 'waiting' ORDER BY id FOR UPDATE`,
  );
  return new Set(rows.map((r) => r.id));
}

interface OfferMade {
  entryId: string;
  userId: string;
  reply: HoldReply;
}

/** Offered entries point at their hold and their mail goes to the outbox; lapsed ones close. */
async function settleWaitlistEntries(tx: Tx, eventId: string, offered: readonly OfferMade[], lapsed: readonly string[]) {
  await tx.query(
    sql.typeAlias('void')`UPDATE waitlist_entries w SET status = x.status, offer_hold_id = x.hold_id, updated_at = now()
      FROM unnest(${sql.array([...offered.map((o) => o.entryId), ...lapsed], 'uuid')}, ${sql.array(
        [...offered.map((o) => o.reply.holdId), ...lapsed.map(() => null)],
        'uuid',
      )}, ${sql.array([...offered.map(() => 'offered'), ...lapsed.map(() => 'lapsed')], 'text')}) AS x(id, hold_id, status)
     WHERE w.id = x.id`,
  );
  await enqueueNotifications(
    tx,
    offered.map((o) => ({
      kind: 'waitlist_offer' as const,
      userId: o.userId,
      eventId,
      holdId: o.reply.holdId,
      totalCents: o.reply.totalCents,
      seats: o.reply.seats,
      expiresAt: new Date(o.reply.expiresAt),
    })),
  );
}

function sameRequest(prior: { command: string; requestHash: string }, ref: IdempotencyRef): boolean {
  return prior.command === ref.command && prior.requestHash === ref.requestHash;
}

const conflict = () => new AppError('CONFLICT', 'idempotencyKey was already used for a different request');
