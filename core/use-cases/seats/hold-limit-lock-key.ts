import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

/** Keys of recent (user, event) pairs: a buyer's every hold in a batch needs theirs again. */
const recent = new LRUCache<string, string>({ max: 20_000 });

/**
 * The advisory-lock key (int8, as a decimal string) that serialises one user's holds for one
 * event, so two parallel holds cannot both pass the per-user seat limit. Shared by seats:hold
 * and the waitlist offerer. A pure function of its arguments, remembered for recent pairs (the
 * hash and its decimal form were 1.3 % of a gateway's CPU in an on-sale).
 */
export function holdLimitLockKey(userId: string, eventId: string): string {
  const text = `hold-limit:${userId}:${eventId}`;
  let key = recent.get(text);
  if (key === undefined) {
    key = hash('sha256', text, 'buffer').readBigInt64BE(0).toString();
    recent.set(text, key);
  }
  return key;
}
