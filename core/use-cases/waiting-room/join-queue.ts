import type { QueueState } from '../../contract/commands.js';
import type { QueuePriority } from '../access-codes/redeem-access-code.js';
import type { ChallengeSettings } from './issue-challenge.js';
import { loadAdmissionControl } from './load-admission-control.js';
import { passDoor } from './pass-door.js';
import { type QueueDeps, runQueueEntry } from './run-queue-entry.js';

/**
 * Takes a place in the event's waiting room (or admits at once when nobody waits and there is
 * room). Joining twice keeps the first place; SALE_NOT_OPEN once the sale is over. With an
 * access code's `priority` (redeemAccessCode) the holder skips whoever waits. The event's door
 * (passDoor: verified email, proof of work) is checked here, so every way in (socket, HTTP) has it.
 */
export async function joinQueue(
  deps: QueueDeps & { challenge: ChallengeSettings },
  eventId: string,
  userId: string,
  now: Date,
  priority: QueuePriority | null = null,
  proof?: string,
): Promise<QueueState> {
  const control = await loadAdmissionControl(deps, eventId, true);
  await passDoor(deps, control, userId, proof, now);
  return runQueueEntry(deps, control, userId, now, 'join', priority);
}
