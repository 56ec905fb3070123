import { hash } from 'node:crypto';

/**
 * The advisory-lock key (int8, as a decimal string) that serialises one user's holds for one
 * event, so two parallel holds cannot both pass the per-user seat limit. Shared by seats:hold
 * and the waitlist offerer.
 */
export function holdLimitLockKey(userId: string, eventId: string): string {
  return hash('sha256', `hold-limit:${userId}:${eventId}`, 'buffer').readBigInt64BE(0).toString();
}
