import { type CandidateSeat, decideHold, type HoldDecision, type HoldFacts, type HoldRequest } from './decide-hold.js';

export interface BatchFacts {
  sale: HoldFacts['sale'];
  presaleStartsAt?: Date | null;
  now: Date;
  maxSeatsPerUser: number;
  /** Held plus owned seats per user, read after every user of the batch was locked. */
  heldOrOwned: ReadonlyMap<string, number>;
  seats: ReadonlyMap<string, CandidateSeat>;
}

export interface BatchItem {
  userId: string;
  request: HoldRequest;
}

/**
 * Decides the requests of one group-commit batch in arrival order (first come, first served
 * inside the batch): each sees the seats and allowance the earlier ones left. A request that is
 * refused or short takes nothing and never changes another's outcome.
 */
export function decideHoldBatch(f: BatchFacts, items: readonly BatchItem[]): HoldDecision[] {
  const taken = new Set<string>();
  const counts = new Map(f.heldOrOwned);
  return items.map(({ userId, request }) => {
    const decision = decideHold(
      {
        sale: f.sale,
        presaleStartsAt: f.presaleStartsAt ?? null,
        now: f.now,
        maxSeatsPerUser: f.maxSeatsPerUser,
        heldOrOwned: counts.get(userId) ?? 0,
        seats: f.seats,
        taken,
      },
      request,
    );
    if (decision.kind === 'take') {
      for (const s of decision.seats) taken.add(s.id);
      // Later requests of the same user see these seats as held, as they would after a commit.
      counts.set(userId, (counts.get(userId) ?? 0) + decision.seats.length);
    }
    return decision;
  });
}
