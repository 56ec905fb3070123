import { SchemaValidationError } from 'slonik';
import { AppError } from '../domain/app-error.js';
import { isConnectionLost, overloadedByLostConnection } from './connection-lost.js';
import { pgErrorCode } from './pg-error-code.js';
import { isPoolWaitTimeout } from './pool.js';

/**
 * Translates the Postgres failures we expect into protocol errors, once, at the edge. slonik
 * wraps some of them (UniqueIntegrityConstraintViolationError, ...; pg's error is the cause):
 * pgErrorCode reads the SQLSTATE either way. A row that broke its zod type stays INTERNAL.
 */
export function translatePgError(err: unknown): unknown {
  if (err instanceof AppError || err instanceof SchemaValidationError) return err;
  if (isConnectionLost(err)) return overloadedByLostConnection(err);
  // Waited DB_QUEUE_WAIT_MS for a connection: shed, not failed.
  if (isPoolWaitTimeout(err)) {
    return new AppError('OVERLOADED', 'the database is busy', { retryAfterMs: 500 }, true);
  }
  switch (pgErrorCode(err)) {
    case '23505':
      return new AppError('CONFLICT', 'already exists');
    case '23503':
    case '23514':
    case '22P02':
    case '22003':
      return new AppError('VALIDATION_FAILED', 'rejected by a database constraint');
    case '40001':
    case '40P01':
    case '55P03':
      return new AppError('INTERNAL', 'busy, try again', undefined, true);
    default:
      return err;
  }
}
