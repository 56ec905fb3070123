import { InvalidInputError } from 'slonik';

/** slonik's own InvalidInputError messages (a programming error, not bad input). */
const SLONIK_INPUT_MESSAGES = /^(Unexpected SQL input|Must not use multiple statements)/;

/**
 * The Postgres SQLSTATE of a failed statement, also when slonik wrapped it: its integrity errors
 * (UniqueIntegrityConstraintViolationError, ...) and BackendTerminatedError keep pg's error as
 * `cause`; InvalidInputError replaces 22P02 and keeps only the message; others (40001, 40P01,
 * 55P03) pass through as pg raised them. Undefined when the error is not from Postgres.
 */
export function pgErrorCode(err: unknown): string | undefined {
  for (let e = err as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (typeof e.code === 'string') return e.code;
    if (e instanceof InvalidInputError && !SLONIK_INPUT_MESSAGES.test(e.message)) return '22P02';
    e = (e.cause as typeof e) ?? null;
  }
  return undefined;
}

/** The constraint a unique/foreign key/check violation names, wrapped by slonik or not. */
export function pgErrorConstraint(err: unknown): string | undefined {
  for (let e = err as { constraint?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (typeof e.constraint === 'string') return e.constraint;
    e = (e.cause as typeof e) ?? null;
  }
  return undefined;
}
