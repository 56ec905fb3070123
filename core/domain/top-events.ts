export interface EventSales {
  eventId: string;
  name: string;
  sold: number;
  revenueCents: number;
}

/** The best-selling events: by revenue, then seats sold, then id so the order is stable. */
export function topEvents(events: readonly EventSales[], limit: number): EventSales[] {
  return [...events]
    .filter((e) => e.sold > 0 || e.revenueCents > 0)
    .sort((a, b) => b.revenueCents - a.revenueCents || b.sold - a.sold || a.eventId.localeCompare(b.eventId))
    .slice(0, limit)
    .map(({ eventId, name, sold, revenueCents }) => ({ eventId, name, sold, revenueCents }));
}
