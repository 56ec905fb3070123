import type { Db } from '../../db/pool.js';
import { findIdempotentReply, type IdempotencyRef, isIdempotencyKeyTaken } from './find-idempotent-reply.js';

export interface IdempotentRun<T, R> {
  /** Failures a retry of an already successful request meets instead of its reply. */
  replayAfter?: (err: unknown) => boolean;
  work: () => Promise<R>;
  /** The result of a request answered from its stored reply. */
  replayed: (reply: T) => R;
}

/**
 * The one idempotency wrapper of the seat commands: the same key from the same user yields the
 * same reply. `work` finds a stored reply inside its transaction, under the row locks that make it
 * final (no lookup before it: that would cost every first request a second database pass). A
 * unique violation on the key (a duplicate committed first, on any gateway) or a failure only a
 * retry can meet (`replayAfter`) is answered from the stored reply when there is one. A key reused
 * for another request is a CONFLICT (findIdempotentReply).
 */
export async function runIdempotent<T, R>(db: Db, ref: IdempotencyRef, o: IdempotentRun<T, R>): Promise<R> {
  try {
    return await o.work();
  } catch (err) {
    if (!isIdempotencyKeyTaken(err) && !o.replayAfter?.(err)) throw err;
    const stored = await findIdempotentReply<T>(db, ref);
    if (stored) return o.replayed(stored);
    throw err;
  }
}
