import type { PushName, PushPayload, SeatChange } from './contract/pushes.js';

/**
 * What a committed seat transaction leaves to do, as its use case returns it; every field but the
 * seat changes is optional. The command runner (gateway) and the worker runner hand it to the one
 * after-commit path (core/run-after-seat-change.ts).
 */
export interface SeatChangeEffects {
  eventId: string;
  changes: readonly SeatChange[];
  /** A hold was made: it must end at expiresAt unless confirmed or released first. */
  newHold?: { holdId: string; expiresAt: Date } | null;
  /** This user has no live hold left for the event (last hold confirmed or released). */
  lastHoldOf?: string | null;
  /** Someone new waits for seats that may be free right now (released before anyone was waiting):
   * ask for a waitlist offer even though no seat changed. */
  offerWaitlist?: boolean;
  /** The waitlist's line moved: its waiting users behind `afterSeq` (all of them when null) hear
   * their new place. */
  lineMoved?: { afterSeq: string | null } | null;
  /** Sections or prices were rewritten (before the sale): every gateway drops its cached layout
   * and seat map of the event, and the next subscribe loads them afresh. */
  layoutChanged?: boolean;
  /** Pushes to one user's sockets on every gateway (hold:expired, waitlist:offer). */
  pushes?: readonly { userId: string; push: UserPush }[];
}

export type UserPush = { [K in PushName]: { name: K; payload: PushPayload<K> } }[PushName];

/** Nothing to do after commit (a replayed reply, a request that changed nothing). */
export function noSeatChange(eventId: string): SeatChangeEffects {
  return { eventId, changes: [] };
}
