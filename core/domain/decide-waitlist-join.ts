import { AppError } from './app-error.js';

/** What a waitlist join is decided on: the event (read once per batch) and the request. */
export interface WaitlistJoinFacts {
  cancelled: boolean;
  saleStartsAtMs: number;
  startsAtMs: number;
  maxSeatsPerUser: number;
  /** Any seat of the event on sale now. */
  anyAvailable: boolean;
  /** The sections the batch names, by name: whether any of their seats is on sale now. */
  sections: ReadonlyMap<string, { available: boolean }>;
}

export interface WaitlistJoinAsk {
  quantity: number;
  section: string | null;
  nowMs: number;
}

/**
 * Whether a user may join an event's waitlist: null when they may, else the refusal. The
 * waitlist is for what the sale cannot give: while seats are on sale (or before it opens) the
 * way in is the waiting room, so nobody can pre-load the line or skip the queue. A join asks for
 * at most the event's seats per user; what the user already holds or owns is counted when an
 * offer is made (seatAllowance), because it may change while they wait.
 */
export function decideWaitlistJoin(f: WaitlistJoinFacts, ask: WaitlistJoinAsk): AppError | null {
  if (f.cancelled || f.startsAtMs <= ask.nowMs) return new AppError('SALE_NOT_OPEN', 'this event is no longer on sale');
  const section = ask.section === null ? null : f.sections.get(ask.section);
  if (section === undefined) return new AppError('VALIDATION_FAILED', `no section named ${ask.section}`);
  if (ask.quantity > f.maxSeatsPerUser) {
    return new AppError('HOLD_LIMIT_EXCEEDED', `at most ${f.maxSeatsPerUser} seats per user for this event`, {
      maxSeatsPerUser: f.maxSeatsPerUser,
    });
  }
  const available = section === null ? f.anyAvailable : section.available;
  if (available || f.saleStartsAtMs > ask.nowMs) {
    return new AppError(
      'NOT_ADMITTED',
      available ? 'seats are available: join the waiting room' : 'the sale has not started: join the waiting room',
      { reason: 'seats_available' },
    );
  }
  return null;
}
