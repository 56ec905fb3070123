import type { SeatJobs } from '../../core/jobs/seat-jobs.js';
import { type AfterSeatChangeDeps, runAfterSeatChange, type SeatChangeEffects } from '../../core/run-after-seat-change.js';
import { endAdmissionSession } from '../../core/use-cases/queue/admission-session.js';
import type { WorkerContext } from '../worker-context.js';

/**
 * The workers' twin of gateway/socket/handlers/after-seat-change.ts: the same after-commit path
 * (core/run-after-seat-change.ts), reaching sockets through the Redis emitter.
 */
export function createWorkerAfterSeatChange(ctx: WorkerContext, jobs: SeatJobs): (e: SeatChangeEffects) => void {
  const deps: AfterSeatChangeDeps = {
    seatChanges: ctx.seatChanges,
    sockets: ctx.emitter as unknown as AfterSeatChangeDeps['sockets'],
    requestWaitlistOffer: (eventId) => jobs.requestWaitlistOffer(eventId),
    scheduleHoldExpiry: (holdId, expiresAt) => jobs.scheduleHoldExpiry(holdId, expiresAt),
    endAdmissionSession: (eventId, userId) => endAdmissionSession(ctx, eventId, userId),
    log: ctx.log,
  };
  return (e) => runAfterSeatChange(deps, e);
}
