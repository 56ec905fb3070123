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

export function isSaleOpen(e: Omit<EventTimes, 'available'>, now: Date): boolean {
  return !e.cancelledAt && e.saleStartsAt <= now && now < e.startsAt;
}
