import type { QueueState } from '../../contract/commands.js';
import { loadAdmissionControl } from './load-admission-control.js';
import { type QueueDeps, runQueueEntry } from './run-queue-entry.js';

/** The user's place (`none` when not queued); also ends a disconnect grace period: the user is back. */
export async function queueStatus(deps: QueueDeps, eventId: string, userId: string, now: Date): Promise<QueueState> {
  return runQueueEntry(deps, await loadAdmissionControl(deps, eventId), userId, now, 'status');
}
