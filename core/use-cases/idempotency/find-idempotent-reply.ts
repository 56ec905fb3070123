import { z } from 'zod';
import { pgErrorCode, pgErrorConstraint } from '../../db/pg-error-code.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
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
const StoredRow = z.object({ command: z.string(), request_hash: z.string(), reply: z.unknown() });

export async function findIdempotentReply<T>(db: Db, ref: IdempotencyRef): Promise<T | null> {
  const row = await db.maybeOne(
    sql.type(
      StoredRow,
    )`SELECT command, request_hash, reply FROM idempotency_records WHERE user_id = ${ref.userId} AND key = ${ref.key}`,
  );
  if (!row) return null;
  if (row.command !== ref.command || row.request_hash !== ref.requestHash) {
    throw new AppError('CONFLICT', 'idempotencyKey was already used for a different request');
  }
  // The reply as this command stored it (its own contract schema checked it on the way out).
  return row.reply as T;
}

/** True for the unique violation of a concurrent request that stored the same key first. */
export function isIdempotencyKeyTaken(err: unknown): boolean {
  return pgErrorCode(err) === '23505' && pgErrorConstraint(err) === 'idempotency_records_pkey';
}
