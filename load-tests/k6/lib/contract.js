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
/** PROTOCOL v1.2 commands the scripts send that the server may not have yet (an older server
 * ignores them: no ack, a TIMEOUT). Only `me:state`, after a reconnect. */
export const V12_COMMANDS = ['me:state'];
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
  'CHALLENGE_REQUIRED',
];

/** Error codes a command may answer during a sale without anything being wrong. */
export const EXPECTED_ERRORS = {
  'seats:hold': ['SOLD_OUT', 'SEAT_UNAVAILABLE'],
  'waitlist:join': ['SOLD_OUT', 'NOT_ADMITTED'],
  // Joining once nothing is left to sell; the door asks for proof of work (the
  // script solves it and joins again; a refused proof is counted apart, evently_pow_rejected).
  'queue:join': ['SOLD_OUT', 'CHALLENGE_REQUIRED'],
};

/** Refusals a command decided by doing its real work (looking at seats): their latency is judged
 * with the ok replies. Every other refusal is a trivial ack (a check at the door). */
const REAL_REFUSALS = {
  'seats:hold': ['SOLD_OUT', 'SEAT_UNAVAILABLE'],
  'hold:confirm': ['PAYMENT_DECLINED'],
};

/**
 * `real` for an ack that did the command's work (an ok reply, or a refusal in REAL_REFUSALS),
 * `trivial` for the rest (a `queue:join` answered `SOLD_OUT` or `CHALLENGE_REQUIRED`, a limit):
 * thresholds judge `work:real` only, so a crowd bouncing off a sold-out door cannot lower them.
 * @param {string} command
 * @param {{ ok: boolean, error?: { code: string } }} ack
 * @returns {'real' | 'trivial'}
 */
export function ackWork(command, ack) {
  if (ack.ok) return 'real';
  const real = /** @type {Record<string, string[]>} */ (REAL_REFUSALS)[command];
  return real?.includes(ack.error?.code ?? '') ? 'real' : 'trivial';
}

/** True when `code` is a normal answer of `command` under load (not counted as an error). */
export function isExpectedError(command, code) {
  const expected = /** @type {Record<string, string[]>} */ (EXPECTED_ERRORS)[command];
  return expected?.includes(code) === true;
}

/** Payload builders, one per command the scenarios send. */
export const payloads = {
  /** @param {string} eventId */
  eventOnly: (eventId) => ({ eventId }),
  /** `queue:join`, with the proof of work when the door asked for one.
   * @param {string} eventId @param {string} [proof] */
  queueJoin: (eventId, proof) => (proof ? { eventId, proof } : { eventId }),
  /** `me:state`: everything this user has, asked after every reconnect. */
  meState: () => ({}),
  /** Compact seat state: one character per seat index, then `seats:delta` pushes.
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
