import type { BuyerLog } from './buyer.js';

/** What the buyers saw, together: error acks by code and the longest any command waited. */
export function summarizeBuyers(logs: readonly BuyerLog[]): {
  errors: Record<string, number>;
  longestWaitMs: number;
  gaveUp: Record<string, number>;
  /** Buyers without a booking who did not give up, by where they stopped. */
  unfinished: Record<string, number>;
} {
  const errors: Record<string, number> = {};
  const gaveUp: Record<string, number> = {};
  const unfinished: Record<string, number> = {};
  let longestWaitMs = 0;
  for (const l of logs) {
    if (l.stage !== 'done' && !l.gaveUp) unfinished[l.stage] = (unfinished[l.stage] ?? 0) + 1;
    for (const [k, v] of Object.entries(l.errors)) errors[k] = (errors[k] ?? 0) + v;
    if (l.gaveUp) gaveUp[l.gaveUp] = (gaveUp[l.gaveUp] ?? 0) + 1;
    longestWaitMs = Math.max(longestWaitMs, l.longestWaitMs);
  }
  return { errors, longestWaitMs, gaveUp, unfinished };
}
