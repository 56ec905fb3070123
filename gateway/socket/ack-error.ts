import type { AckError } from '../../core/contract/ack.js';
import { translatePgError } from '../../core/db/translate-pg-error.js';
import { isAppError } from '../../core/domain/app-error.js';
import { translateRedisError } from '../../core/redis/translate-redis-error.js';

/** The one function that turns any error into an ack error; unknown errors carry no detail. */
export function toAckError(err: unknown): { error: AckError; unexpected: boolean } {
  const e = translateRedisError(translatePgError(err));
  if (isAppError(e)) {
    const error: AckError = { code: e.code, message: e.message, retryable: e.retryable };
    if (e.details !== undefined) error.details = e.details;
    return { error, unexpected: false };
  }
  return { error: { code: 'INTERNAL', message: 'internal error', retryable: true }, unexpected: true };
}
