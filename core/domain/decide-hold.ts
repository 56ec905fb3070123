import { AppError } from './app-error.js';
import { chooseBestSeats } from './choose-best-seats.js';
import { isSaleOpen, type SaleWindow } from './event-status.js';
import { orderSeats, type PlacedSeat } from './order-seats.js';
import { seatAllowance } from './seat-allowance.js';

/** A seat the caller has locked (or, outside a transaction, read) for this decision. */
export interface CandidateSeat extends PlacedSeat {
  status: 'available' | 'held' | 'sold';
  version: number;
  sectionId: string;
}

export interface HoldFacts {
  /** The public sale window. */
  sale: SaleWindow;
  /** When presale code holders may be admitted; none: the public sale start. */
  presaleStartsAt?: Date | null;
  now: Date;
  maxSeatsPerUser: number;
  /** Seats this user holds (live) plus owns for the event, as read after their per-user lock. */
  heldOrOwned: number;
  /** Every seat the caller locked: the named ones and, for best available, a window of free ones. */
  seats: ReadonlyMap<string, CandidateSeat>;
  /** Seats already given to earlier requests of the same batch: no longer free. */
  taken: ReadonlySet<string>;
}

export type HoldRequest = (
  | { seatIds: readonly string[]; acceptPartial: boolean }
  | { quantity: number; section: string | null; acceptPartial: boolean }
) & {
  /**
   * A waitlist offer, not a buyer's request. A buyer was admitted through the waiting room, and
   * before the public sale only presale code holders are: a buyer may hold from the presale
   * start. Nobody admitted the head of the waitlist, so an offer waits for the public sale (the
   * waitlist takes joins only once it is on). An offer asks for up to `quantity`: it is trimmed
   * to the user's allowance, refused only when nothing is left of it.
   */
  waitlistOffer?: boolean;
};

export type HoldDecision =
  | { kind: 'refuse'; error: AppError }
  /** Hold these seats (in seating order); `shortfall` seats of the request stay unserved. */
  | { kind: 'take'; seats: CandidateSeat[]; shortfall: number }
  /** Best available: fewer free seats among the locked ones than asked for. Only the caller can
   * tell whether that means sold out or seats others have locked right now. */
  | { kind: 'short'; free: number };

const refuse = (error: AppError): HoldDecision => ({ kind: 'refuse', error });

export function requestedSeats(r: HoldRequest): number {
  return 'seatIds' in r ? r.seatIds.length : r.quantity;
}

const isFree = (f: HoldFacts, s: CandidateSeat): boolean => s.status === 'available' && !f.taken.has(s.id);

/**
 * The hold decision, pure: sale open, per-user allowance (checked against what was asked, so a
 * partial hold never lets a user past the limit later), then which seats. Named seats are all or
 * nothing unless `acceptPartial`; best available picks adjacent seats among the free locked ones
 * (chooseBestSeats). It never takes a seat that is not free and never more than the allowance.
 */
export function decideHold(f: HoldFacts, r: HoldRequest): HoldDecision {
  const sale = r.waitlistOffer ? f.sale : { ...f.sale, saleStartsAt: f.presaleStartsAt ?? f.sale.saleStartsAt };
  if (!isSaleOpen(sale, f.now)) return refuse(new AppError('SALE_NOT_OPEN', 'the sale for this event is not open'));
  const allowance = seatAllowance(f.maxSeatsPerUser, f.heldOrOwned);
  const requested = r.waitlistOffer && allowance > 0 ? Math.min(requestedSeats(r), allowance) : requestedSeats(r);
  if (requested > allowance) {
    return refuse(
      new AppError('HOLD_LIMIT_EXCEEDED', `at most ${f.maxSeatsPerUser} seats per user for this event`, {
        maxSeatsPerUser: f.maxSeatsPerUser,
        current: f.heldOrOwned,
        requested,
      }),
    );
  }
  if ('seatIds' in r) return decideNamed(f, r.seatIds, r.acceptPartial);
  const free = [...f.seats.values()].filter((s) => isFree(f, s) && (r.section === null || s.section === r.section));
  if (free.length === 0 || (free.length < requested && !r.acceptPartial)) return { kind: 'short', free: free.length };
  const chosen = new Set(chooseBestSeats(free, requested));
  const seats = orderSeats(free.filter((s) => chosen.has(s.id)));
  return { kind: 'take', seats, shortfall: requested - seats.length };
}

function decideNamed(f: HoldFacts, seatIds: readonly string[], acceptPartial: boolean): HoldDecision {
  const unknown = seatIds.filter((id) => !f.seats.has(id));
  if (unknown.length > 0) {
    return refuse(new AppError('VALIDATION_FAILED', 'unknown seat ids for this event', { seatIds: unknown }));
  }
  const named = seatIds.map((id) => f.seats.get(id) as CandidateSeat);
  const free = named.filter((s) => isFree(f, s));
  if (free.length === 0 || (free.length < named.length && !acceptPartial)) {
    return refuse(
      new AppError('SEAT_UNAVAILABLE', 'some of these seats are no longer available', {
        seatIds: named.filter((s) => !isFree(f, s)).map((s) => s.id),
      }),
    );
  }
  return { kind: 'take', seats: orderSeats(free), shortfall: named.length - free.length };
}
