import { type BatchedDeps, type Batcher, submitOne } from '../../batching/command-batcher.js';
import type { CommandPayload, ConfirmReply } from '../../contract/commands.js';
import { noSeatChange, type SeatChangeEffects } from '../../seat-change-effects.js';
import type { IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { hashRequest } from '../idempotency/hash-request.js';
import { runIdempotent } from '../idempotency/run-idempotent.js';
import { CONFIRM_COMMAND, type ConfirmOutcome, type ConfirmRequest, type ConfirmResult } from './write-confirm-batch.js';

export type ConfirmBatcher = Batcher<ConfirmRequest, ConfirmOutcome>;

export type ConfirmDeps = BatchedDeps<ConfirmRequest, ConfirmResult> & { now(): Date };

export interface ConfirmedHold {
  reply: ConfirmReply;
  /** Publish the sold seats; the owner's admission session ends with their last hold (nothing
   * for a replayed reply). */
  effects: SeatChangeEffects;
  replayed: boolean;
}

/** Every confirm of a gateway shares one batch queue (the payload names a hold, not an event). */
const BATCH_KEY = 'confirm';

/**
 * `hold:confirm` with mock payment: one request of a group-commit batch (writeConfirmBatch), or
 * a batch of one. There is no idempotency lookup before the transaction: a retry of a confirm
 * that committed finds the hold confirmed under its row lock and the stored reply there; a key
 * reused for another request collides on the record's key (runIdempotent: CONFLICT, nothing
 * changed).
 */
export async function confirmHold(deps: ConfirmDeps, userId: string, p: CommandPayload<'hold:confirm'>): Promise<ConfirmedHold> {
  const { idempotencyKey, ...request } = p;
  const idempotency: IdempotencyRef = {
    userId,
    key: idempotencyKey,
    command: CONFIRM_COMMAND,
    requestHash: hashRequest(CONFIRM_COMMAND, request),
  };
  const item: ConfirmRequest = { userId, payload: p, idempotency };
  return runIdempotent<ConfirmReply, ConfirmedHold>(deps.pool, idempotency, {
    work: async () => {
      const { reply, changes, replayed, lastHold } = await submitOne(deps, BATCH_KEY, item);
      return { reply, effects: { eventId: reply.eventId, changes, lastHoldOf: lastHold ? userId : null }, replayed };
    },
    replayed: (reply) => ({ reply, effects: noSeatChange(reply.eventId), replayed: true }),
  });
}
