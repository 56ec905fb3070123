import { type ErrorCode, isRetryableByDefault } from '../contract/error-codes.js';

/** A failure with a protocol error code. Anything else reaching the edge is INTERNAL. */
export class AppError extends Error {
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    retryable?: boolean,
  ) {
    super(message);
    this.name = 'AppError';
    this.retryable = retryable ?? isRetryableByDefault(code);
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
