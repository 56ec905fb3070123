import type { PushName, PushPayload, SeatChange } from './contract/pushes.js';
import type { Logger } from './log.js';
import { rooms } from './rooms.js';
import type { SeatChangePublisher } from './seat-change-publisher.js';

/** A room broadcaster: the gateway's Socket.IO server or a worker's Redis emitter. */
interface Rooms {
  to(room: string): { emit(event: string, payload: unknown): unknown };
}

export interface AfterSeatChangeDeps {
  seatChanges: SeatChangePublisher;
  sockets: Rooms;
  /** Seats may have freed up: a worker offers them to the waitlist. */
  requestWaitlistOffer(eventId: string): Promise<void>;
  /** Expiry of a new hold (a no-op when one expiry pass a second does it: HOLD_EXPIRY_PASS_MS). */
  scheduleHoldExpiry(holdId: string, expiresAt: Date): Promise<void>;
  /** The user's admission slot goes to the next in the queue. */
  endAdmissionSession(eventId: string, userId: string): Promise<void>;
  log: Logger;
}

/** What a committed seat transaction leaves to do; every field but the seat changes is optional. */
export interface SeatChangeEffects {
  eventId: string;
  changes: readonly SeatChange[];
  /** A hold was made: it must end at expiresAt unless confirmed or released first. */
  newHold?: { holdId: string; expiresAt: Date } | null;
  /** This user has no live hold left for the event (last hold confirmed or released). */
  lastHoldOf?: string | null;
  /** Pushes to one user's sockets on every gateway (hold:expired, waitlist:offer). */
  pushes?: readonly { userId: string; push: UserPush }[];
}

export type UserPush = { [K in PushName]: { name: K; payload: PushPayload<K> } }[PushName];

/**
 * The one path after a seat transaction commits, for gateway handlers and workers alike:
 * publish the seat changes (coalesced per event), ask for a waitlist offer when seats were freed,
 * schedule a new hold's expiry, end the admission session of a user whose last hold is done,
 * push to users. Nothing here can
 * fail the command: the change is durable, and each effect has a repair (the seat-state
 * comparison, the waitlist sweep, the admission session TTL, a client's resync).
 */
export function runAfterSeatChange(deps: AfterSeatChangeDeps, e: SeatChangeEffects): void {
  deps.seatChanges.publish(e.eventId, e.changes);
  if (e.changes.some((c) => c.status === 'available')) {
    deps
      .requestWaitlistOffer(e.eventId)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'could not queue a waitlist offer'));
  }
  if (e.newHold) {
    const { holdId, expiresAt } = e.newHold;
    deps
      .scheduleHoldExpiry(holdId, expiresAt)
      .catch((err: unknown) => deps.log.warn({ err, holdId }, 'expiry job not queued; the sweep will expire it'));
  }
  if (e.lastHoldOf) {
    deps
      .endAdmissionSession(e.eventId, e.lastHoldOf)
      .catch((err: unknown) => deps.log.warn({ err, eventId: e.eventId }, 'could not end the admission session'));
  }
  for (const { userId, push } of e.pushes ?? []) deps.sockets.to(rooms.user(userId)).emit(push.name, push.payload);
}
