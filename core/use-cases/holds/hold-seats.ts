import type { HoldPayload, HoldReply } from '../../contract/commands.js';
import type { ErrorCode } from '../../contract/error-codes.js';
import type { SeatChange } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { withLockedTransaction } from '../../db/with-locked-transaction.js';
import { AppError, isAppError } from '../../domain/app-error.js';
import { chooseBestSeats, type FreeSeat } from '../../domain/choose-best-seats.js';
import { type HoldRequest, requestedSeats } from '../../domain/decide-hold.js';
import type { HeldSeatLock, SeatLocks } from '../../redis/seat-locks.js';
import { findIdempotentReply, type IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { hashRequest } from '../idempotency/hash-request.js';
import { runIdempotent, settledAfterLookup } from '../idempotency/run-idempotent.js';
import { joinWaitlist, type WaitlistBatcher } from '../waitlist/join-waitlist.js';
import { findFreeSeats } from './find-free-seats.js';
import { holdLimitLockKey } from './hold-limit-lock-key.js';
import type { HoldBatcher } from './seat-batchers.js';
import { writeHold } from './write-hold.js';

export interface HoldDeps {
  pool: Pool;
  seatLocks: SeatLocks;
  /** Throws NOT_ADMITTED / ADMISSION_EXPIRED unless the token admits this user to this event. */
  checkAdmission(token: string, who: { userId: string; eventId: string }): Promise<void>;
  now(): Date;
  /** Group commit (GROUP_COMMIT_ENABLED); null: one transaction per hold. */
  batcher: HoldBatcher | null;
  /** Group commit of waitlist joins (waitlistRest when sold out); null: one transaction each. */
  waitlistBatcher: WaitlistBatcher | null;
  /** The command's deadline: a hold not started by then is not started. */
  deadlineAt: number;
}

export interface HoldResult {
  reply: HoldReply;
  /** Seat changes to publish after commit; empty for a replayed reply. */
  changes: SeatChange[];
  replayed: boolean;
}

const COMMAND = 'seats:hold';
const NO_LOCK: HeldSeatLock = { release: async () => {} };
/** Failures a retry of an already successful hold would meet instead of its reply. */
const REPLAYABLE_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'NOT_ADMITTED',
  'ADMISSION_EXPIRED',
  'SOLD_OUT',
  'SEAT_UNAVAILABLE',
]);
/** Best available re-chooses at most this often when other holds take its seats first. */
const MAX_CHOICES = 6;
/** How many free seats (best first) best available reads: enough to find a run and to spread
 * concurrent requests apart, small enough to stay cheap when thousands race. */
const freeSeatWindow = (quantity: number) => Math.min(2000, Math.max(200, quantity * 40));

/**
 * `seats:hold`: admission, then per attempt: choose seats, Redlock explicit ones as the fast
 * gate, and one Postgres transaction that is the guarantee. The transaction finds the stored reply of a retry
 * after its per-user lock, so the hot path has no extra lookup; failures a retry can meet before
 * reaching it (admission ended, seats gone) look the reply up then. The admission token is not
 * part of the request hash: a client that re-joined the queue retries with a new token.
 */
export async function holdSeats(deps: HoldDeps, userId: string, p: HoldPayload): Promise<HoldResult> {
  const { admissionToken: _token, idempotencyKey, ...request } = p;
  const idempotency: IdempotencyRef = {
    userId,
    key: idempotencyKey,
    command: COMMAND,
    requestHash: hashRequest(COMMAND, request),
  };
  return runIdempotent<HoldReply, HoldResult>(deps.pool, idempotency, {
    // The transaction finds the stored reply after its per-user lock: no lookup on the hot path.
    // A retry of a hold that was made: its admission may have ended since (last hold confirmed)
    // or its seats be gone (to itself). It gets the stored reply, not the failure.
    replayAfter: (err) => isAppError(err) && REPLAYABLE_FAILURES.has(err.code),
    work: () => attemptHold(deps, userId, p, idempotency),
    replayed: (reply) => ({ reply, changes: [], replayed: true }),
  });
}

async function attemptHold(deps: HoldDeps, userId: string, p: HoldPayload, idempotency: IdempotencyRef): Promise<HoldResult> {
  await deps.checkAdmission(p.admissionToken, { userId, eventId: p.eventId });
  // waitlistRest writes a waitlist entry beside the hold: the single path keeps that rare case.
  if (deps.batcher && !p.waitlistRest) return batchedHold(deps, deps.batcher, userId, p, idempotency);

  const byIds = p.seatIds !== undefined;
  const requested = byIds ? (p.seatIds as string[]).length : (p.quantity as number);
  const acceptPartial = p.acceptPartial ?? false;
  const excluded = new Set<string>();
  let free: FreeSeat[] | null = null;
  for (let attempt = 0; attempt < (byIds ? 1 : MAX_CHOICES); attempt++) {
    let seatIds: string[];
    if (byIds) {
      seatIds = p.seatIds as string[];
    } else {
      if (free === null) free = await findFreeSeats(deps.pool, p.eventId, p.section ?? null, freeSeatWindow(requested));
      const left = free.filter((s) => !excluded.has(s.id));
      if (left.length === 0 || (left.length < requested && !acceptPartial)) {
        // Only a fresh read with nothing set aside proves there is not enough left.
        if (excluded.size === 0) return soldOut(deps, userId, p, requested, idempotency);
        free = null;
        excluded.clear();
        continue;
      }
      // Under contention everyone's first choice is the same: later attempts start further in.
      const spread = Math.min(left.length - Math.min(requested, left.length), requested * (4 + 20 * attempt));
      seatIds = chooseBestSeats(left.slice(Math.floor(Math.random() * (spread + 1))), requested);
    }
    // Redlock gates explicit seats, whose row locks a transaction would otherwise wait for.
    // Best available needs no gate: it locks with SKIP LOCKED, which never waits.
    const lock = byIds ? await deps.seatLocks.acquire(p.eventId, seatIds) : NO_LOCK;
    try {
      const locks = { eventId: p.eventId, keys: [holdLimitLockKey(userId, p.eventId)] };
      const outcome = await withLockedTransaction(deps.pool, locks, (tx) =>
        writeHold(tx, {
          eventId: p.eventId,
          userId,
          seatIds,
          chosenForUs: !byIds,
          // One seat has no neighbours to keep: fill at once. Groups try for adjacency first.
          fillFromFree: !byIds && (requested === 1 || attempt >= 2),
          requested,
          acceptPartial,
          waitlistRest: p.waitlistRest ?? false,
          section: p.section ?? null,
          now: deps.now(),
          idempotency,
        }),
      );
      if (outcome.kind === 'stale') {
        for (const id of outcome.lost) excluded.add(id);
        free = null;
        continue;
      }
      if (outcome.kind === 'replay') return { reply: outcome.reply, changes: [], replayed: true };
      return { reply: outcome.reply, changes: outcome.changes, replayed: false };
    } finally {
      // Not awaited: the ack need not wait for Redis, and a lock not released lapses by TTL.
      void lock.release();
    }
  }
  throw new AppError('SEAT_UNAVAILABLE', 'seats are being taken right now, try again', undefined, true);
}

/**
 * The group-commit path: Redlock explicit seats as the fast gate, then the request joins its
 * event's next batch (writeHoldBatch decides it against the rows the batch locked). Named seats
 * another transaction had locked, or best available short of seats while others are taking
 * some right now (looked up without locks: else it is sold out), join a later batch, a few times.
 */
async function batchedHold(
  deps: HoldDeps,
  batcher: HoldBatcher,
  userId: string,
  p: HoldPayload,
  idempotency: IdempotencyRef,
): Promise<HoldResult> {
  const acceptPartial = p.acceptPartial ?? false;
  const request: HoldRequest = p.seatIds
    ? { seatIds: p.seatIds, acceptPartial }
    : { quantity: p.quantity as number, section: p.section ?? null, acceptPartial };
  const requested = requestedSeats(request);
  const lock = p.seatIds ? await deps.seatLocks.acquire(p.eventId, p.seatIds) : NO_LOCK;
  try {
    for (let attempt = 0; attempt < MAX_CHOICES; attempt++) {
      const outcome = await batcher.submit(p.eventId, { userId, request, idempotency }, deps.deadlineAt, { retry: attempt > 0 });
      if (outcome.kind === 'held') return { reply: outcome.reply, changes: outcome.changes, replayed: false };
      if (outcome.kind === 'replay') return { reply: outcome.reply, changes: [], replayed: true };
      // Decided after the batch read this key's stored reply under the user's lock: final.
      if (outcome.kind === 'refused') throw settledAfterLookup(outcome.error);
      if (outcome.kind === 'short') {
        const free = await findFreeSeats(deps.pool, p.eventId, p.section ?? null, requested);
        if (free.length === 0 || (free.length < requested && !acceptPartial)) {
          // Not settled: this was decided after the batch let go of the user's lock, and a copy of
          // this request on another gateway may have taken the last seats since. runIdempotent
          // looks for its reply (a batched hold never waitlists: see attemptHold).
          throw new AppError('SOLD_OUT', 'not enough seats left');
        }
      }
      // Busy, or short while free seats exist: another batch has them locked. Give it time to
      // end before the next try (an immediate retry met the same locks, and six of them could
      // pass inside one loaded batch and answer "being taken" with seats still to be had). The
      // next try keeps its place in line (`retry`): it joins the front of the queue, not its end.
      await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** attempt)));
    }
  } finally {
    // Not awaited: the ack need not wait for Redis, and a lock not released lapses by TTL.
    void lock.release();
  }
  throw new AppError('SEAT_UNAVAILABLE', 'seats are being taken right now, try again', undefined, true);
}

/** Nothing (or not enough) left to choose from: SOLD_OUT, after waitlisting when asked to. */
async function soldOut(
  deps: HoldDeps,
  userId: string,
  p: HoldPayload,
  requested: number,
  idempotency: IdempotencyRef,
): Promise<never> {
  if (p.waitlistRest) {
    // Not for a retry of a hold that was made (its reply is looked up by the caller).
    if (await findIdempotentReply<HoldReply>(deps.pool, idempotency)) throw new AppError('SOLD_OUT', 'sold out');
    const waitlist = { pool: deps.pool, batcher: deps.waitlistBatcher, deadlineAt: deps.deadlineAt };
    const { position, quantity } = await joinWaitlist(waitlist, {
      eventId: p.eventId,
      userId,
      quantity: requested,
      section: p.section ?? null,
      now: deps.now(),
    });
    throw new AppError('SOLD_OUT', 'no seats left; you are on the waitlist', { waitlist: { position, quantity } });
  }
  throw new AppError('SOLD_OUT', 'not enough seats left');
}
