/** A seat as it appears in a hold or booking reply. `sectionRank` is the section's position. */
export interface PlacedSeat {
  id: string;
  section: string;
  sectionRank: number;
  row: number;
  number: number;
  priceCents: number;
}

/**
 * The one seating order of a reply (holds, waitlist offers, confirmations): by the section's
 * position in the venue, then row, then number. Holds once sorted by section name and confirm by
 * position, so a hold and its booking listed the same seats in different orders.
 */
export function orderSeats<S extends PlacedSeat>(seats: readonly S[]): S[] {
  return [...seats].sort((a, b) => a.sectionRank - b.sectionRank || a.row - b.row || a.number - b.number);
}

/** What a set of seats costs: the sum of the prices they were held at, in cents. */
export function totalCents(seats: readonly { priceCents: number }[]): number {
  let total = 0;
  for (const s of seats) total += s.priceCents;
  return total;
}

/** The reply form of a seat (a SeatRef of the contract): what a buyer sees, without the rank. */
export function toSeatRef(s: PlacedSeat): Omit<PlacedSeat, 'sectionRank'> {
  return { id: s.id, section: s.section, row: s.row, number: s.number, priceCents: s.priceCents };
}
