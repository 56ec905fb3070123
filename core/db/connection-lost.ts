import { BackendTerminatedError, BackendTerminatedUnexpectedlyError } from 'slonik';
import { AppError } from '../domain/app-error.js';
import { NoWritableHostError } from './host-locator.js';
import { pgErrorCode } from './pg-error-code.js';

/**
 * Server-side reasons a session ends under us (class 57: operator intervention; 08: connection);
 * 25006: the host turned read-only under us (a demoted primary: the writable host is elsewhere
 * now); and the socket errors of a host that is gone or unreachable (nothing was done there).
 */
const LOST_CODES = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
  '25006',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/** A connection to a host that is no longer the one accepting writes (a failover moved them). */
export class HostNoLongerWritable extends Error {
  constructor() {
    super('this connection is to a host that no longer accepts writes');
  }
}
/** pg's own messages, and slonik's driver refusing a client it is destroying after such an error. */
const LOST_MESSAGES =
  /Connection terminated|terminating connection|ECONNRESET|EPIPE|Client has encountered a connection error|Client was closed|Client is pending destroy|Client is destroyed|Cannot use released connection|Backend has been terminated/i;

/** True when the error means the Postgres connection is gone (not a failed statement). */
export function isConnectionLost(err: unknown): boolean {
  if (!err || err instanceof AppError) return false;
  if (err instanceof BackendTerminatedError || err instanceof BackendTerminatedUnexpectedlyError) return true;
  if (err instanceof NoWritableHostError || err instanceof HostNoLongerWritable) return true;
  const code = pgErrorCode(err);
  if (code && LOST_CODES.has(code)) return true;
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && LOST_MESSAGES.test(message)) return true;
  // slonik wraps pg's error: the original is its cause.
  const cause = (err as { cause?: unknown }).cause;
  return cause !== undefined && cause !== err && isConnectionLost(cause);
}

/** How long a client should wait before retrying after a lost connection. */
export const LOST_CONNECTION_RETRY_MS = 250;

/** The retryable answer to a command whose database connection died under it. */
export function overloadedByLostConnection(cause: unknown): AppError {
  const e = new AppError(
    'OVERLOADED',
    'the database connection was lost; retry with the same idempotency key',
    { retryAfterMs: LOST_CONNECTION_RETRY_MS },
    true,
  );
  (e as { cause?: unknown }).cause = cause;
  return e;
}
