import type { EventStatus } from '../contract/http.js';

export interface EventTimes {
  cancelledAt: Date | null;
  startsAt: Date;
  saleStartsAt: Date;
  available: number;
}

/** The status shown in the catalog, derived from stored facts and the caller's clock. */
export function eventStatus(e: EventTimes, now: Date): EventStatus {
  if (e.cancelledAt) return 'cancelled';
  if (e.startsAt <= now) return 'ended';
  if (e.saleStartsAt > now) return 'scheduled';
  return e.available > 0 ? 'on_sale' : 'sold_out';
}

/** When seats may be held and confirmed: from saleStartsAt until the event starts, unless cancelled. */
export type SaleWindow = Omit<EventTimes, 'available'>;

/** The one sale-window rule: holds, confirmations, waitlist offers and the waiting room all ask it. */
export function isSaleOpen(e: SaleWindow, now: Date): boolean {
  return isSaleOpenMs(
    { cancelled: Boolean(e.cancelledAt), saleStartsAtMs: e.saleStartsAt.getTime(), endsAtMs: e.startsAt.getTime() },
    now.getTime(),
  );
}

/** isSaleOpen on epoch milliseconds, as the waiting room's mirror of an event keeps them. */
export function isSaleOpenMs(w: { cancelled: boolean; saleStartsAtMs: number; endsAtMs: number }, nowMs: number): boolean {
  return !w.cancelled && w.saleStartsAtMs <= nowMs && nowMs < w.endsAtMs;
}
