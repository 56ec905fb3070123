import type { SeatChange } from '../../../core/contract/pushes.js';
import { type AfterSeatChangeDeps, runAfterSeatChange, type SeatChangeEffects } from '../../../core/run-after-seat-change.js';
import { endAdmissionSession } from '../../../core/use-cases/queue/admission-session.js';
import type { AppContext } from '../../app-context.js';

const depsOf = new WeakMap<AppContext, AfterSeatChangeDeps>();

/**
 * What follows a committed seat change in a gateway: the one after-commit path of
 * core/run-after-seat-change.ts (the workers' twin is workers/seats/after-seat-change.ts), with
 * this gateway's Socket.IO server, seat jobs and Redis.
 */
export function afterSeatChange(
  app: AppContext,
  eventId: string,
  changes: readonly SeatChange[],
  more: Omit<SeatChangeEffects, 'eventId' | 'changes'> = {},
): void {
  let deps = depsOf.get(app);
  if (!deps) {
    deps = {
      seatChanges: app.seatChanges,
      sockets: app.io as unknown as AfterSeatChangeDeps['sockets'],
      requestWaitlistOffer: (id) => app.seatJobs.requestWaitlistOffer(id),
      scheduleHoldExpiry: (holdId, expiresAt) => app.seatJobs.scheduleHoldExpiry(holdId, expiresAt),
      endAdmissionSession: (id, userId) => endAdmissionSession(app, id, userId),
      log: app.log,
    };
    depsOf.set(app, deps);
  }
  runAfterSeatChange(deps, { eventId, changes, ...more });
}
