import type { SeatJobs } from './jobs/seat-jobs.js';
import type { Logger } from './log.js';
import { rooms } from './rooms.js';
import type { SeatChangeEffects } from './seat-change-effects.js';
import type { SeatChangePublisher } from './seat-change-publisher.js';

/** A room broadcaster: the gateway's Socket.IO server or a worker's Redis emitter. */
interface Rooms {
  to(room: string): { emit(event: string, payload: unknown): unknown };
}

export interface AfterSeatChangeDeps {
  seatChanges: SeatChangePublisher;
  sockets: Rooms;
  /** A waitlist offer when seats may have freed up; a new hold's expiry (a no-op when one expiry
   * pass a second does it: HOLD_EXPIRY_PASS_MS). */
  seatJobs: Pick<SeatJobs, 'requestWaitlistOffer' | 'scheduleHoldExpiry'>;
  /** The user's admission slot goes to the next in the queue. */
  endAdmissionSession(eventId: string, userId: string): Promise<void>;
  /** `waitlist:position` to the event's waiting users behind afterSeq (all when null). */
  pushWaitlistPositions(eventId: string, afterSeq: string | null): Promise<void>;
  log: Logger;
}

/**
 * The one path after a seat transaction commits, run with the effects a use case returned by the
 * gateway's runners (commands, HTTP routes) and the workers' (the import rules let nobody else
 * import it): publish the seat changes (coalesced per event), ask for a waitlist offer when seats
 * were freed or someone joined the waitlist, schedule a new hold's expiry, end the admission
 * session of a user whose last hold is done, push to users, tell the waitlist's line its new
 * places, drop a rewritten layout everywhere. Nothing here can fail the command: the change is durable, and each effect has a repair
 * (the seat-state comparison, the waitlist sweep, the admission session TTL, a client's resync).
 */
export function runAfterSeatChange(deps: AfterSeatChangeDeps, e: SeatChangeEffects): void {
  deps.seatChanges.publish(e.eventId, e.changes);
  if (e.layoutChanged) {
    deps.seatChanges
      .layoutChanged(e.eventId)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'layout change not published'));
  }
  if (e.offerWaitlist || e.changes.some((c) => c.status === 'available')) {
    deps.seatJobs
      .requestWaitlistOffer(e.eventId)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'could not queue a waitlist offer'));
  }
  if (e.newHold) {
    const { holdId, expiresAt } = e.newHold;
    deps.seatJobs
      .scheduleHoldExpiry(holdId, expiresAt)
      .catch((err: unknown) => deps.log.warn({ err, holdId }, 'expiry job not queued; the sweep will expire it'));
  }
  if (e.lastHoldOf) {
    deps
      .endAdmissionSession(e.eventId, e.lastHoldOf)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'could not end the admission session'));
  }
  for (const { userId, push } of e.pushes ?? []) deps.sockets.to(rooms.user(userId)).emit(push.name, push.payload);
  if (e.lineMoved) {
    deps
      .pushWaitlistPositions(e.eventId, e.lineMoved.afterSeq)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'waitlist positions not pushed'));
  }
}
