import type { QueueState } from '../../contract/commands.js';
import { type QueueDeps, runQueueEntry } from './run-queue-entry.js';

/** The user's place (`none` when not queued); also ends a disconnect grace period: the user is back. */
export function queueStatus(deps: QueueDeps, eventId: string, userId: string, now: Date): Promise<QueueState> {
  return runQueueEntry(deps, eventId, userId, now, 'status');
}
