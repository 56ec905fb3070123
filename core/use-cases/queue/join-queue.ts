import type { QueueState } from '../../contract/commands.js';
import type { QueuePriority } from '../access-codes/redeem-access-code.js';
import { type QueueDeps, runQueueEntry } from './run-queue-entry.js';

/**
 * Takes a place in the event's waiting room (or admits at once when nobody waits and there is
 * room). Joining twice keeps the first place; SALE_NOT_OPEN once the sale is over. With an
 * access code's `priority` (redeemAccessCode) the holder skips whoever waits.
 */
export function joinQueue(
  deps: QueueDeps,
  eventId: string,
  userId: string,
  now: Date,
  priority: QueuePriority | null = null,
): Promise<QueueState> {
  return runQueueEntry(deps, eventId, userId, now, 'join', priority);
}
