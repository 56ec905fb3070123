import { AppError } from '../domain/app-error.js';

/** Server-side reasons a session ends under us (class 57: operator intervention; 08: connection). */
const LOST_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08003', '08006', '08001', '08004']);
const LOST_MESSAGES =
  /Connection terminated|terminating connection|ECONNRESET|EPIPE|Client has encountered a connection error|Client was closed/i;

/** True when the error means the Postgres connection is gone (not a failed statement). */
export function isConnectionLost(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  if (e.code && LOST_CODES.has(e.code)) return true;
  return typeof e.message === 'string' && LOST_MESSAGES.test(e.message);
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
