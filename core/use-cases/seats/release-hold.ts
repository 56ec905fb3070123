import { z } from 'zod';
import { type BatchedDeps, type Batcher, submitOne, writeWholeOrEach } from '../../batching/command-batcher.js';
import type { Pool, Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { AppError } from '../../domain/app-error.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { type EndedHold, endHolds } from './end-hold.js';

export interface ReleasedHold extends EndedHold {
  /** The user has no other live hold for this event. */
  lastHold: boolean;
}

export interface ReleaseRequest {
  userId: string;
  holdId: string;
}

/** One request's outcome: the released hold, or the failure it alone gets. */
export type ReleaseOutcome = ReleasedHold | Error;

export type ReleaseBatcher = Batcher<ReleaseRequest, ReleaseOutcome>;

export type ReleaseDeps = BatchedDeps<ReleaseRequest, ReleasedHold>;

export interface ReleaseResult {
  /** How many seats went back on sale. */
  released: number;
  /** Publish them; the owner's admission session ends with their last hold. */
  effects: SeatChangeEffects;
}

/** `hold:release`: the owner gives a live hold back; its seats are on sale again at once. */
export async function releaseHold(deps: ReleaseDeps, userId: string, holdId: string): Promise<ReleaseResult> {
  const { eventId, changes, lastHold } = await submitOne(deps, 'release', { userId, holdId });
  return { released: changes.length, effects: { eventId, changes, lastHoldOf: lastHold ? userId : null } };
}

const StatusRow = z.object({ id: z.string(), status: z.string(), user_id: z.string() });
const LiveRow = z.object({ user_id: z.string(), event_id: z.string(), n: z.number() });

/**
 * Releases a batch of holds in one transaction (endHolds: one statement for all of them); a batch
 * of one is the single path. The first request for a hold decides it; a later one in the same
 * batch finds it released, as it would have one transaction later. A batch that fails whole
 * reruns request by request (writeWholeOrEach).
 */
export function writeReleaseBatch(pool: Pool, items: readonly ReleaseRequest[]): Promise<ReleaseOutcome[]> {
  return writeWholeOrEach(items, (some) => withTransaction(pool, (tx) => releaseInTx(tx, some)));
}

async function releaseInTx(tx: Tx, items: readonly ReleaseRequest[]): Promise<ReleaseOutcome[]> {
  const first = new Map<string, ReleaseRequest>();
  for (const i of items) if (!first.has(i.holdId)) first.set(i.holdId, i);
  const ended = await endHolds(
    tx,
    [...first.values()].map((i) => ({ holdId: i.holdId, to: 'released' as const, userId: i.userId, actorId: i.userId })),
  );
  // Why the others were not released: read after our own changes (this transaction's snapshot).
  const unmatched = [...new Set(items.filter((i) => first.get(i.holdId) !== i || !ended.has(i.holdId)).map((i) => i.holdId))];
  const statuses =
    unmatched.length === 0
      ? new Map<string, z.infer<typeof StatusRow>>()
      : new Map(
          (
            await tx.any(
              sql.type(StatusRow)`SELECT id, status, user_id FROM holds WHERE id = ANY(${sql.array(unmatched, 'uuid')})`,
            )
          ).map((r) => [r.id, r]),
        );
  const owners = [...ended.values()];
  const live =
    owners.length === 0
      ? []
      : await tx.any(
          sql.type(LiveRow)`SELECT o.user_id, o.event_id, count(h.id) AS n
             FROM unnest(${sql.array(
               owners.map((h) => h.userId),
               'uuid',
             )}, ${sql.array(
               owners.map((h) => h.eventId),
               'uuid',
             )}) AS o(user_id, event_id)
             LEFT JOIN holds h ON h.user_id = o.user_id AND h.event_id = o.event_id AND h.status = 'active'
            GROUP BY o.user_id, o.event_id`,
        );
  const liveOf = new Map(live.map((r) => [`${r.user_id}/${r.event_id}`, r.n]));
  return items.map((item) => {
    const hold = ended.get(item.holdId);
    if (hold && first.get(item.holdId) === item) {
      return { ...hold, lastHold: (liveOf.get(`${hold.userId}/${hold.eventId}`) ?? 0) === 0 };
    }
    const row = statuses.get(item.holdId);
    if (!row || row.user_id !== item.userId) return new AppError('HOLD_NOT_FOUND', 'no such hold');
    if (row.status === 'confirmed') return new AppError('CONFLICT', 'this hold is already confirmed; cancel the booking');
    if (row.status === 'expired') return new AppError('HOLD_EXPIRED', 'this hold has expired');
    return new AppError('HOLD_NOT_FOUND', `this hold was already ${row.status}`);
  });
}
