import { type AfterSeatChangeDeps, runAfterSeatChange } from '../../core/run-after-seat-change.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';
import { endAdmissionSession } from '../../core/use-cases/waiting-room/admission-session.js';
import { pushWaitlistPositions } from '../../core/use-cases/waitlist/push-waitlist-positions.js';
import type { WorkerContext } from './worker-context.js';

/**
 * The workers' after-commit runner, the twin of the gateway's command runner: a job hands the
 * effects its use case returned to `ctx.afterCommit`, and this runs the one after-commit path
 * (core/run-after-seat-change.ts) with them, reaching sockets through the Redis emitter. At once:
 * a job has no answer to wait for, and an expiry pass tells each hold's owner as its chunk commits.
 */
export function createWorkerAfterCommit(ctx: Omit<WorkerContext, 'afterCommit'>): (effects: SeatChangeEffects) => void {
  const deps: AfterSeatChangeDeps = {
    seatChanges: ctx.seatChanges,
    sockets: ctx.emitter as unknown as AfterSeatChangeDeps['sockets'],
    seatJobs: ctx.seatJobs,
    endAdmissionSession: (eventId, userId) => endAdmissionSession(ctx, eventId, userId),
    pushWaitlistPositions: (eventId, afterSeq) => pushWaitlistPositions(ctx.pool, ctx.emitter, eventId, afterSeq),
    log: ctx.log,
  };
  return (effects) => {
    try {
      runAfterSeatChange(deps, effects);
    } catch (err) {
      // The change is durable and each effect has its repair: the job goes on.
      ctx.log.error({ err, eventId: effects.eventId }, 'after-commit effects failed');
    }
  };
}
