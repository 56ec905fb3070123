import { hash } from 'node:crypto';

/**
 * The advisory-lock key (int8, as a decimal string) that lets one waitlist offer of an event be
 * written at a time, whichever worker runs it: offers go to the head of the line in line order.
 */
export function waitlistOfferLockKey(eventId: string): string {
  return hash('sha256', `waitlist-offer:${eventId}`, 'buffer').readBigInt64BE(0).toString();
}
