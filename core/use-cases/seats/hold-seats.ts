import type { HoldPayload, HoldReply } from '../../contract/commands.js';
import type { ErrorCode } from '../../contract/error-codes.js';
import type { Pool } from '../../db/pool.js';
import { AppError, isAppError } from '../../domain/app-error.js';
import { type HoldRequest, requestedSeats } from '../../domain/decide-hold.js';
import type { HeldSeatLock, SeatLocks } from '../../redis/seat-locks.js';
import { noSeatChange, type SeatChangeEffects } from '../../seat-change-effects.js';
import { findIdempotentReply, type IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { hashRequest } from '../idempotency/hash-request.js';
import { runIdempotent, settledAfterLookup } from '../idempotency/run-idempotent.js';
import { findFreeSeats } from './find-free-seats.js';
import { joinWaitlist, type WaitlistBatcher } from './join-waitlist.js';
import type { HoldBatcher } from './seat-batchers.js';

export interface HoldDeps {
  pool: Pool;
  seatLocks: SeatLocks;
  /** Throws NOT_ADMITTED / ADMISSION_EXPIRED unless the token admits this user to this event. */
  checkAdmission(token: string, who: { userId: string; eventId: string }): Promise<void>;
  now(): Date;
  /** The event's batch writer: every hold is one of its requests. */
  batcher: HoldBatcher;
  /** The waitlist's batch writer (waitlistRest when sold out). */
  waitlistBatcher: WaitlistBatcher;
  /** The command's deadline: a hold not started by then is not started. */
  deadlineAt: number;
}

export interface HoldResult {
  reply: HoldReply;
  /** What the commit leaves to do: publish the held seats, schedule the hold's end (nothing for a
   * replayed reply). */
  effects: SeatChangeEffects;
  replayed: boolean;
}

const replayedHold = (eventId: string, reply: HoldReply): HoldResult => ({
  reply,
  effects: noSeatChange(eventId),
  replayed: true,
});

const COMMAND = 'seats:hold';
const NO_LOCK: HeldSeatLock = { release: async () => {} };
/** Failures a retry of an already successful hold would meet instead of its reply. */
const REPLAYABLE_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'NOT_ADMITTED',
  'ADMISSION_EXPIRED',
  'SOLD_OUT',
  'SEAT_UNAVAILABLE',
]);
/** A request whose seats other batches had locked is sent again at most this often. */
const MAX_CHOICES = 6;

/**
 * `seats:hold`: admission, then a request to the event's batch writer (requestHold), whose
 * transaction is the guarantee. The batch finds the stored reply of a retry after its per-user
 * lock, so the hot path has no extra lookup; failures a retry can meet before
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
    work: async () => {
      await deps.checkAdmission(p.admissionToken, { userId, eventId: p.eventId });
      return requestHold(deps, userId, p, idempotency);
    },
    replayed: (reply) => replayedHold(p.eventId, reply),
  });
}

/**
 * Every hold is a request to its event's batch writer (writeHoldBatch decides it against the
 * rows the batch locked; a batch of one is the lone hold). Redlock gates explicit seats first when
 * REDLOCK_ENABLED (off by default: the batch's SKIP LOCKED leaves it no lock wait to spare).
 * Named seats another transaction had locked, or best available short of seats while others
 * are taking some right now (looked up without locks: else it is sold out), join a later batch,
 * a few times.
 */
async function requestHold(deps: HoldDeps, userId: string, p: HoldPayload, idempotency: IdempotencyRef): Promise<HoldResult> {
  const acceptPartial = p.acceptPartial ?? false;
  const waitlistRest = p.waitlistRest ?? false;
  const request: HoldRequest = p.seatIds
    ? { seatIds: p.seatIds, acceptPartial }
    : { quantity: p.quantity as number, section: p.section ?? null, acceptPartial };
  const requested = requestedSeats(request);
  const lock = p.seatIds ? await deps.seatLocks.acquire(p.eventId, p.seatIds) : NO_LOCK;
  try {
    for (let attempt = 0; attempt < MAX_CHOICES; attempt++) {
      const outcome = await deps.batcher.submit(
        p.eventId,
        { userId, request, asker: { kind: 'buyer', idempotency, waitlistRest } },
        deps.deadlineAt,
        {
          retry: attempt > 0,
        },
      );
      if (outcome.kind === 'held') {
        const { reply, changes } = outcome;
        const newHold = { holdId: reply.holdId, expiresAt: new Date(reply.expiresAt) };
        return { reply, effects: { eventId: p.eventId, changes, newHold }, replayed: false };
      }
      if (outcome.kind === 'replay') return replayedHold(p.eventId, outcome.reply);
      // Decided after the batch read this key's stored reply under the user's lock: final.
      if (outcome.kind === 'refused') throw settledAfterLookup(outcome.error);
      if (outcome.kind === 'short') {
        const free = await findFreeSeats(deps.pool, p.eventId, p.section ?? null, requested);
        if (free.length === 0 || (free.length < requested && !acceptPartial)) {
          // Not settled: this was decided after the batch let go of the user's lock, and a copy of
          // this request on another gateway may have taken the last seats since. runIdempotent
          // looks for its reply.
          return soldOut(deps, userId, p, requested, idempotency);
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
