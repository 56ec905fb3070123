import { httpStatusOf } from '../../core/contract/error-codes.js';
import { translatePgError } from '../../core/db/translate-pg-error.js';
import { isAppError } from '../../core/domain/app-error.js';
import { translateRedisError } from '../../core/redis/translate-redis-error.js';
import type { HttpResponse } from './http-request.js';

/** The one place any error becomes an HTTP reply; never leaks a stack. */
export function httpErrorReply(error: unknown): { response: HttpResponse; unexpected: boolean } {
  const err = translateRedisError(translatePgError(error));
  if (isAppError(err)) {
    const error: Record<string, unknown> = { code: err.code, message: err.message };
    if (err.details !== undefined) error.details = err.details;
    const response: HttpResponse = { status: httpStatusOf[err.code], body: { error } };
    const wait = (err.details as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
    // Every 429 and 503 says when to come back (a second when the error did not say).
    if (typeof wait === 'number') response.headers = { 'retry-after': String(Math.ceil(wait / 1000)) };
    else if (response.status === 429 || response.status === 503) response.headers = { 'retry-after': '1' };
    return { response, unexpected: false };
  }
  return {
    response: { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error' } } },
    unexpected: true,
  };
}
