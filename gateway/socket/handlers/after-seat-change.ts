import type { SeatChange } from '../../../core/contract/pushes.js';
import type { AppContext } from '../../app-context.js';

/**
 * What follows a committed seat change: the seat-map push and, when seats were freed, a
 * waitlist offer job. Failures here are logged, never turned into a failed ack: the change is
 * durable, and the cron sweep re-offers freed seats whose job was lost.
 */
export function afterSeatChange(app: AppContext, eventId: string, changes: readonly SeatChange[]): void {
  app.seatChanges.publish(eventId, changes);
  if (changes.some((c) => c.status === 'available')) {
    app.seatJobs
      .requestWaitlistOffer(eventId)
      .catch((err: unknown) => app.log.warn({ err, eventId }, 'could not queue a waitlist offer'));
  }
}
