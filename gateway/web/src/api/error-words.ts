/** What a buyer reads for each error code: what happened and what to do next. */
const WORDS: Record<string, string> = {
  VALIDATION_FAILED: 'Something in the request was not right. Please check and try again.',
  UNAUTHENTICATED: 'Please sign in again.',
  FORBIDDEN: 'You are not allowed to do that.',
  NOT_FOUND: 'We could not find that.',
  RATE_LIMITED: 'You are going a little fast. We will try again in a moment.',
  SALE_NOT_OPEN: 'The sale for this event is not open.',
  QUEUE_PAUSED: 'The waiting room is paused for a moment. You keep your place.',
  NOT_ADMITTED: 'It is not your turn yet: please join the waiting room first.',
  ADMISSION_EXPIRED: 'Your shopping time ran out. Please join the waiting room again.',
  SEAT_UNAVAILABLE: 'Someone else just took one of those seats. Please pick others.',
  SOLD_OUT: 'This event is sold out. You can join the waitlist.',
  HOLD_LIMIT_EXCEEDED: 'That is more seats than one person may buy for this event.',
  HOLD_NOT_FOUND: 'That reservation no longer exists.',
  HOLD_EXPIRED: 'Your reservation ran out of time and the seats were released.',
  PAYMENT_DECLINED: 'Your payment was declined. Your seats stay reserved until the timer runs out: try again.',
  BOOKING_NOT_FOUND: 'We could not find that booking.',
  ALREADY_CANCELLED: 'That booking was already cancelled.',
  CONFLICT: 'That request clashed with an earlier one. Please try again.',
  OVERLOADED: 'We are very busy right now. Trying again in a moment.',
  SHUTTING_DOWN: 'The server is restarting. Trying again in a moment.',
  INTERNAL: 'Something went wrong on our side. Please try again.',
  CHALLENGE_REQUIRED: 'Checking your browser before you join. This takes a few seconds.',
};

export function errorWords(code: string | undefined, fallback?: string): string {
  return (code && WORDS[code]) || fallback || WORDS.INTERNAL!;
}

export function formatCents(cents: number): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}
