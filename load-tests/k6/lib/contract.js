// The slice of core/contract the k6 scripts need. k6 cannot import zod or TypeScript, so this is
// plain JavaScript; tests/unit/k6-contract.test.ts checks every name here against core/contract
// and parses every payload built here with the contract's zod schemas.

/** Commands on namespace `/`. */
export const COMMANDS = [
  'seats:subscribe',
  'seats:unsubscribe',
  'queue:join',
  'queue:status',
  'queue:leave',
  'seats:hold',
  'hold:release',
  'hold:confirm',
  'booking:list',
  'booking:cancel',
  'waitlist:join',
  'waitlist:leave',
  'availability:subscribe',
  'availability:unsubscribe',
];
/** Commands on namespace `/admin`. */
export const ADMIN_COMMANDS = ['analytics:subscribe', 'analytics:unsubscribe', 'queue:control'];
/** Server pushes on `/` and on `/admin`. */
export const PUSHES = [
  'seats:changed',
  'queue:position',
  'queue:admitted',
  'hold:expired',
  'waitlist:position',
  'waitlist:offer',
  'seats:delta',
  'availability:changed',
  'queue:state',
  'session:ended',
];
export const ADMIN_PUSHES = ['analytics:update', 'session:ended'];

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'RATE_LIMITED',
  'SALE_NOT_OPEN',
  'QUEUE_PAUSED',
  'NOT_ADMITTED',
  'ADMISSION_EXPIRED',
  'SEAT_UNAVAILABLE',
  'SOLD_OUT',
  'HOLD_LIMIT_EXCEEDED',
  'HOLD_NOT_FOUND',
  'HOLD_EXPIRED',
  'PAYMENT_DECLINED',
  'BOOKING_NOT_FOUND',
  'ALREADY_CANCELLED',
  'CONFLICT',
  'OVERLOADED',
  'SHUTTING_DOWN',
  'INTERNAL',
];

/** Error codes a command may answer during a sale without anything being wrong. */
export const EXPECTED_ERRORS = {
  'seats:hold': ['SOLD_OUT', 'SEAT_UNAVAILABLE'],
  'waitlist:join': ['SOLD_OUT', 'NOT_ADMITTED'],
  // v1.1: joining once nothing is left to sell.
  'queue:join': ['SOLD_OUT'],
};

/** True when `code` is a normal answer of `command` under load (not counted as an error). */
export function isExpectedError(command, code) {
  const expected = /** @type {Record<string, string[]>} */ (EXPECTED_ERRORS)[command];
  return expected?.includes(code) === true;
}

/** Payload builders, one per command the scenarios send. */
export const payloads = {
  /** @param {string} eventId */
  eventOnly: (eventId) => ({ eventId }),
  /** v1.1 compact seat state: one character per seat index, then `seats:delta` pushes.
   * @param {string} eventId */
  subscribeCompact: (eventId) => ({ eventId, format: 'compact' }),
  /**
   * Best available seats (in a section when given).
   * @param {{eventId: string, admissionToken: string, idempotencyKey: string, quantity: number, section?: string}} p
   */
  holdBestAvailable: (p) => {
    /** @type {Record<string, unknown>} */
    const body = { eventId: p.eventId, admissionToken: p.admissionToken, idempotencyKey: p.idempotencyKey, quantity: p.quantity };
    if (p.section) body.section = p.section;
    return body;
  },
  /** @param {string} holdId @param {string} idempotencyKey */
  confirm: (holdId, idempotencyKey) => ({ holdId, idempotencyKey, payment: { method: 'mock' } }),
  /** @param {string} holdId */
  release: (holdId) => ({ holdId }),
  /** @param {string} bookingId */
  cancelBooking: (bookingId) => ({ bookingId }),
  /** @param {string} eventId @param {number} quantity */
  waitlistJoin: (eventId, quantity) => ({ eventId, quantity }),
  bookingList: () => ({}),
  /** @param {string} [eventId] */
  analyticsSubscribe: (eventId) => (eventId ? { eventId } : {}),
};
