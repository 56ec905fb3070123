import { z } from 'zod';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { type EndedHold, endHold, endHolds } from './end-hold.js';

/** An expired hold's effects: its seats are on sale again, and its owner hears `hold:expired`. */
function expiredEffects(ended: EndedHold): SeatChangeEffects {
  const { id: holdId, eventId, userId, changes } = ended;
  return { eventId, changes, pushes: [{ userId, push: { name: 'hold:expired', payload: { holdId, eventId } } }] };
}

/**
 * Expires one hold if, in Postgres's clock, it is still active and past `expires_at`; null when
 * it was confirmed, released or already expired (a confirmed hold is never touched).
 */
export async function expireHold(pool: Pool, holdId: string): Promise<SeatChangeEffects | null> {
  const ended = await withTransaction(pool, (tx) => endHold(tx, { holdId, to: 'expired', userId: null, actorId: null }));
  return ended && expiredEffects(ended);
}

/** Expires those of `holdIds` that are still active and overdue, in one transaction and statement. */
function expireHolds(pool: Pool, holdIds: readonly string[]): Promise<Map<string, EndedHold>> {
  return withTransaction(pool, (tx) =>
    endHolds(
      tx,
      holdIds.map((holdId) => ({ holdId, to: 'expired' as const, userId: null, actorId: null })),
    ),
  );
}

/** Holds past their time that are still active: what the cron sweep hands to expireHold. */
export async function findOverdueHolds(pool: Pool, limit: number): Promise<string[]> {
  const ids = await pool.anyFirst(
    sql.type(z.object({ id: z.string() }))`SELECT id FROM holds WHERE status = 'active' AND expires_at <= now()
      ORDER BY expires_at LIMIT ${limit}`,
  );
  return [...ids];
}

/** Milliseconds until a still-active hold is due, in Postgres's clock; null once it has ended. */
export async function findMsUntilExpiry(pool: Pool, holdId: string): Promise<number | null> {
  // extract() is numeric: pg's text, a number once parsed.
  const ms = await pool.maybeOneFirst(
    sql.type(z.object({ ms: z.coerce.number() }))`SELECT extract(epoch FROM expires_at - now()) * 1000 AS ms FROM holds
      WHERE id = ${holdId} AND status = 'active'`,
  );
  return ms;
}

/**
 * Expires every overdue active hold, `batch` at a time, `chunk` holds per transaction with
 * `concurrency` transactions in flight, until none is left (a pass never stops at one batch: a
 * burst of holds made together expires together). Hands the effects of each hold this pass ended
 * to `afterCommit` as its transaction commits (the pass goes on meanwhile); holds confirmed,
 * released or expired by someone else meanwhile are skipped. Returns how many it expired.
 */
export async function expireOverdueHolds(
  pool: Pool,
  afterCommit: (effects: SeatChangeEffects) => void,
  o: { batch: number; chunk: number; concurrency: number } = { batch: 500, chunk: 50, concurrency: 4 },
): Promise<number> {
  let total = 0;
  for (;;) {
    const ids = await findOverdueHolds(pool, o.batch);
    if (ids.length === 0) return total;
    const chunks: string[][] = [];
    for (let i = 0; i < ids.length; i += o.chunk) chunks.push(ids.slice(i, i + o.chunk));
    let mine = 0;
    let next = 0;
    const lane = async () => {
      while (next < chunks.length) {
        for (const ended of (await expireHolds(pool, chunks[next++] as string[])).values()) {
          mine++;
          afterCommit(expiredEffects(ended));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(o.concurrency, chunks.length) }, lane));
    total += mine;
    // Every one went to someone else (another pass, a confirm): do not spin on the same rows.
    if (mine === 0) return total;
  }
}
