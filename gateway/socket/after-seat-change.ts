import { type AfterSeatChangeDeps, runAfterSeatChange } from '../../core/run-after-seat-change.js';
import type { SeatChangeEffects } from '../../core/seat-change-effects.js';
import { endAdmissionSession } from '../../core/use-cases/waiting-room/admission-session.js';
import { pushWaitlistPositions } from '../../core/use-cases/waitlist/push-waitlist-positions.js';
import type { AppContext } from '../context/app-context.js';

const depsOf = new WeakMap<AppContext, AfterSeatChangeDeps>();

/**
 * What follows a committed seat change in a gateway: the one after-commit path of
 * core/run-after-seat-change.ts (the workers' twin is workers/runtime/worker-after-commit.ts), with
 * this gateway's Socket.IO server, seat jobs and Redis. Run only by the command runner
 * (bind-commands.ts) and the HTTP router (wired in start-gateway.ts), with the effects a use case
 * returned.
 */
export function afterSeatChange(app: AppContext, effects: SeatChangeEffects): void {
  const { eventId, changes } = effects;
  let deps = depsOf.get(app);
  if (!deps) {
    deps = {
      seatChanges: app.seatChanges,
      sockets: app.io as unknown as AfterSeatChangeDeps['sockets'],
      seatJobs: app.seatJobs,
      endAdmissionSession: (id, userId) => {
        app.admissionPasses?.forget(id, userId);
        return endAdmissionSession(app, id, userId);
      },
      pushWaitlistPositions: (id, afterSeq) => pushWaitlistPositions(app.pool, app.io, id, afterSeq),
      log: app.log,
    };
    depsOf.set(app, deps);
  }
  // This gateway's own seat state first, before the changes travel through Redis: a subscribe
  // here right after the ack already sees them.
  if (effects.layoutChanged) app.liveSeats.receiveLocal({ eventId, changes: [], committedAtMs: Date.now(), layoutChanged: true });
  else if (changes.length > 0) app.liveSeats.receiveLocal({ eventId, changes: [...changes], committedAtMs: Date.now() });
  runAfterSeatChange(deps, effects);
}
