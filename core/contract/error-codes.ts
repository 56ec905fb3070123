/**
 * The one registry of error codes (PROTOCOL.md "Error codes"). A test checks this list
 * against the protocol document in both directions.
 */
export const ErrorCode = {
  VALIDATION_FAILED: 'VALIDATION_FAILED',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  RATE_LIMITED: 'RATE_LIMITED',
  SALE_NOT_OPEN: 'SALE_NOT_OPEN',
  QUEUE_PAUSED: 'QUEUE_PAUSED',
  NOT_ADMITTED: 'NOT_ADMITTED',
  ADMISSION_EXPIRED: 'ADMISSION_EXPIRED',
  SEAT_UNAVAILABLE: 'SEAT_UNAVAILABLE',
  SOLD_OUT: 'SOLD_OUT',
  HOLD_LIMIT_EXCEEDED: 'HOLD_LIMIT_EXCEEDED',
  HOLD_NOT_FOUND: 'HOLD_NOT_FOUND',
  HOLD_EXPIRED: 'HOLD_EXPIRED',
  PAYMENT_DECLINED: 'PAYMENT_DECLINED',
  BOOKING_NOT_FOUND: 'BOOKING_NOT_FOUND',
  ALREADY_CANCELLED: 'ALREADY_CANCELLED',
  CONFLICT: 'CONFLICT',
  OVERLOADED: 'OVERLOADED',
  SHUTTING_DOWN: 'SHUTTING_DOWN',
  INTERNAL: 'INTERNAL',
  CHALLENGE_REQUIRED: 'CHALLENGE_REQUIRED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export const errorCodes = Object.values(ErrorCode) as readonly ErrorCode[];

/** Codes where the same command may succeed later unchanged (PROTOCOL.md). A busy lock is
 * reported with its own code and `retryable: true` set by the thrower. */
const retryableCodes: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.RATE_LIMITED,
  ErrorCode.OVERLOADED,
  ErrorCode.SHUTTING_DOWN,
  ErrorCode.INTERNAL,
]);

export function isRetryableByDefault(code: ErrorCode): boolean {
  return retryableCodes.has(code);
}

/** HTTP status for each code, used by the HTTP edge. */
export const httpStatusOf: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  RATE_LIMITED: 429,
  SALE_NOT_OPEN: 409,
  QUEUE_PAUSED: 409,
  NOT_ADMITTED: 403,
  ADMISSION_EXPIRED: 403,
  SEAT_UNAVAILABLE: 409,
  SOLD_OUT: 409,
  HOLD_LIMIT_EXCEEDED: 409,
  HOLD_NOT_FOUND: 404,
  HOLD_EXPIRED: 409,
  PAYMENT_DECLINED: 402,
  BOOKING_NOT_FOUND: 404,
  ALREADY_CANCELLED: 409,
  CONFLICT: 409,
  OVERLOADED: 503,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
  CHALLENGE_REQUIRED: 403,
};
