import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';

export interface IdempotencyRef {
  userId: string;
  key: string;
  command: string;
  requestHash: string;
}

/**
 * The stored reply for this user's key, or null when the key is new. A key reused for another
 * command or another payload is a CONFLICT: it must never return someone else's outcome.
 */
export async function findIdempotentReply<T>(db: Queryable, ref: IdempotencyRef): Promise<T | null> {
  const { rows } = await db.query<{ command: string; request_hash: string; reply: T }>(
    'SELECT command, request_hash, reply FROM idempotency_records WHERE user_id = $1 AND key = $2',
    [ref.userId, ref.key],
  );
  const row = rows[0];
  if (!row) return null;
  if (row.command !== ref.command || row.request_hash !== ref.requestHash) {
    throw new AppError('CONFLICT', 'idempotencyKey was already used for a different request');
  }
  return row.reply;
}

/** True for the unique violation of a concurrent request that stored the same key first. */
export function isIdempotencyKeyTaken(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string } | null;
  return e?.code === '23505' && e.constraint === 'idempotency_records_pkey';
}
