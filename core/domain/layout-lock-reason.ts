/** What decides whether an event's sections, seats and prices may still change. */
export interface LayoutFacts {
  cancelled: boolean;
  saleStartsAt: Date;
  presaleStartsAt: Date | null;
  /** Any hold, booking, waitlist entry or access-code use, ever: someone acted on this layout. */
  hasActivity: boolean;
}

/**
 * Null when the layout may change, else why not. Before anyone could buy only: the first of the
 * presale and the sale must still be ahead (by the stored times, not the ones the same request
 * may set), and nobody may have held, bought, joined the waitlist or used a code, since each of
 * those points at seats, sections or prices that would change under them.
 */
export function layoutLockReason(e: LayoutFacts, now: Date): string | null {
  if (e.cancelled) return 'a cancelled event cannot be changed';
  const opens = e.presaleStartsAt && e.presaleStartsAt < e.saleStartsAt ? e.presaleStartsAt : e.saleStartsAt;
  if (opens <= now) return 'sections and prices can change only before the sale (or presale) opens';
  if (e.hasActivity) return 'sections and prices cannot change once anyone has held, booked, waited or used a code';
  return null;
}

/** Same sections in the same order with the same rows and seats: only names and prices differ. */
export function isSameShape(
  current: readonly { rows: number; seatsPerRow: number }[],
  next: readonly { rows: number; seatsPerRow: number }[],
): boolean {
  return (
    current.length === next.length && current.every((s, i) => s.rows === next[i]!.rows && s.seatsPerRow === next[i]!.seatsPerRow)
  );
}
