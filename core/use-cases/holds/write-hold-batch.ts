import { randomUUID } from 'node:crypto';
import type { HoldReply } from '../../contract/commands.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { withLockedTransaction } from '../../db/with-locked-transaction.js';
import { AppError } from '../../domain/app-error.js';
import type { CandidateSeat, HoldDecision, HoldRequest } from '../../domain/decide-hold.js';
import { type BatchItem, decideHoldBatch } from '../../domain/decide-hold-batch.js';
import { orderSeats, toSeatRef, totalCents } from '../../domain/order-seats.js';
import { type IdempotencyRef, isIdempotencyKeyTaken } from '../idempotency/find-idempotent-reply.js';
import { holdLimitLockKey } from './hold-limit-lock-key.js';
import { insertHoldBatch } from './insert-hold-batch.js';
import { lockBatchFacts, toCandidate } from './lock-batch-facts.js';

export interface BatchHoldRequest {
  userId: string;
  request: HoldRequest;
  idempotency: IdempotencyRef;
}

export type BatchHoldOutcome =
  | { kind: 'held'; reply: HoldReply; changes: SeatChange[] }
  | { kind: 'replay'; reply: HoldReply }
  | { kind: 'refused'; error: AppError }
  /** Best available found too few free seats among the unlocked ones: the caller decides. */
  | { kind: 'short' }
  /** A named seat is locked by another transaction right now: try again in a later batch. */
  | { kind: 'busy' };

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

function runBatch(pool: Pool, eventId: string, items: readonly BatchHoldRequest[], now: Date): Promise<BatchHoldOutcome[]> {
  const users = [...new Set(items.map((i) => i.userId))];
  const locks = { eventId, keys: users.map((u) => holdLimitLockKey(u, eventId)) };
  return withLockedTransaction(pool, locks, async (tx) => {
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
      items.map((i) => ({ userId: i.userId, key: i.idempotency.key })),
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
      const id = `${item.userId}:${item.idempotency.key}`;
      const prior = stored.get(id);
      if (prior) {
        outcomes[index] = sameRequest(prior, item.idempotency)
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
      { sale: facts.sale, now, maxSeatsPerUser: facts.maxSeatsPerUser, heldOrOwned: facts.heldOrOwned, seats },
      deciding.map((d) => d.item),
    );

    const holds = [];
    const replies = new Map<number, HoldReply>();
    for (let k = 0; k < deciding.length; k++) {
      const { index } = deciding[k] as { index: number };
      const decision = decisions[k] as HoldDecision;
      const item = items[index] as BatchHoldRequest;
      if (decision.kind === 'refuse') outcomes[index] = { kind: 'refused', error: decision.error };
      else if (decision.kind === 'short') outcomes[index] = { kind: 'short' };
      else {
        const refs = decision.seats.map(toSeatRef);
        const reply: HoldReply = {
          holdId: randomUUID(),
          eventId,
          seats: refs,
          totalCents: totalCents(refs),
          expiresAt: new Date(facts.expiresAt).toISOString(),
        };
        replies.set(index, reply);
        holds.push({
          holdId: reply.holdId,
          userId: item.userId,
          seats: decision.seats,
          totalCents: reply.totalCents,
          audit: { userId: item.userId, source: 'user', seats: refs.map((s) => s.id), totalCents: reply.totalCents },
          idempotency: { ...item.idempotency, reply },
        });
      }
    }
    const changes = holds.length > 0 ? await insertHoldBatch(tx, eventId, facts.expiresAt, holds) : new Map();
    for (const [index, reply] of replies) outcomes[index] = { kind: 'held', reply, changes: changes.get(reply.holdId) ?? [] };

    return items.map((item, index) => {
      const own = outcomes[index];
      if (own) return own;
      // A duplicate of an earlier request of this batch: its reply (or its refusal), or CONFLICT.
      const first = firstOfKey.get(`${item.userId}:${item.idempotency.key}`) as number;
      const firstOutcome = outcomes[first] as BatchHoldOutcome;
      if ((items[first] as BatchHoldRequest).idempotency.requestHash !== item.idempotency.requestHash) {
        return { kind: 'refused', error: conflict() };
      }
      return firstOutcome.kind === 'held' ? { kind: 'replay', reply: firstOutcome.reply } : firstOutcome;
    });
  });
}

function sameRequest(prior: { command: string; requestHash: string }, ref: IdempotencyRef): boolean {
  return prior.command === ref.command && prior.requestHash === ref.requestHash;
}

const conflict = () => new AppError('CONFLICT', 'idempotencyKey was already used for a different request');
