import type { CommandPayload, ConfirmReply } from '../../contract/commands.js';
import type { IdempotencyRef } from '../idempotency/find-idempotent-reply.js';
import { hashRequest } from '../idempotency/hash-request.js';
import { runIdempotent } from '../idempotency/run-idempotent.js';
import { type BatchedDeps, type Batcher, submitOne } from './command-batcher.js';
import {
  CONFIRM_COMMAND,
  type ConfirmOutcome,
  type ConfirmRequest,
  type ConfirmResult,
  writeConfirmBatch,
} from './write-confirm-batch.js';

export type { ConfirmResult } from './write-confirm-batch.js';

export type ConfirmBatcher = Batcher<ConfirmRequest, ConfirmOutcome>;

export type ConfirmDeps = BatchedDeps<ConfirmRequest, ConfirmResult> & { now(): Date };

/** Every confirm of a gateway shares one batch queue (the payload names a hold, not an event). */
const BATCH_KEY = 'confirm';

/**
 * `hold:confirm` with mock payment: one request of a group-commit batch (writeConfirmBatch), or
 * a batch of one. There is no idempotency lookup before the transaction: a retry of a confirm
 * that committed finds the hold confirmed under its row lock and the stored reply there; a key
 * reused for another request collides on the record's key (runIdempotent: CONFLICT, nothing
 * changed).
 */
export async function confirmHold(deps: ConfirmDeps, userId: string, p: CommandPayload<'hold:confirm'>): Promise<ConfirmResult> {
  const { idempotencyKey, ...request } = p;
  const idempotency: IdempotencyRef = {
    userId,
    key: idempotencyKey,
    command: CONFIRM_COMMAND,
    requestHash: hashRequest(CONFIRM_COMMAND, request),
  };
  const item: ConfirmRequest = { userId, payload: p, idempotency };
  return runIdempotent<ConfirmReply, ConfirmResult>(deps.pool, idempotency, {
    work: () => submitOne(deps, BATCH_KEY, item, (pool, batch) => writeConfirmBatch(pool, batch, deps.now())),
    replayed: (reply) => ({ reply, changes: [], replayed: true, lastHold: false }),
  });
}
