import type { Db } from '../../db/pool.js';
import { findIdempotentReply, type IdempotencyRef, isIdempotencyKeyTaken } from './find-idempotent-reply.js';

export interface IdempotentRun<T, R> {
  /** Failures a retry of an already successful request meets instead of its reply. */
  replayAfter?: (err: unknown) => boolean;
  work: () => Promise<R>;
  /** The result of a request answered from its stored reply. */
  replayed: (reply: T) => R;
}

const settled = new WeakSet<object>();

/**
 * Marks a failure that `work` decided after it had looked for a stored reply under the locks
 * that make it final (a group-commit batch reads the stored replies of its keys after every
 * user's lock): a retry of a request that succeeded would have been answered from its reply
 * there, so runIdempotent passes this failure on without looking again. Before this, every
 * SEAT_UNAVAILABLE of a race cost a second query (459 of 4,000 holds in one bench run). Only for
 * a failure decided while those locks were held: one decided after them (a batched hold's
 * SOLD_OUT, read once the batch has committed) still looks.
 */
export function settledAfterLookup<E extends object>(err: E): E {
  settled.add(err);
  return err;
}

/**
 * The one idempotency wrapper of the seat commands: the same key from the same user yields the
 * same reply. `work` finds a stored reply inside its transaction, under the row locks that make it
 * final (no lookup before it: that would cost every first request a second database pass). A
 * unique violation on the key (a duplicate committed first, on any gateway) or a failure only a
 * retry can meet (`replayAfter`) is answered from the stored reply when there is one, unless
 * `work` had already looked under its locks (settledAfterLookup). A key reused
 * for another request is a CONFLICT (findIdempotentReply).
 */
export async function runIdempotent<T, R>(db: Db, ref: IdempotencyRef, o: IdempotentRun<T, R>): Promise<R> {
  try {
    return await o.work();
  } catch (err) {
    if (!isIdempotencyKeyTaken(err) && !o.replayAfter?.(err)) throw err;
    if (typeof err === 'object' && err !== null && settled.has(err)) throw err;
    const stored = await findIdempotentReply<T>(db, ref);
    if (stored) return o.replayed(stored);
    throw err;
  }
}
