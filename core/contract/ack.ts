import type { ErrorCode } from './error-codes.js';

export interface AckError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  details?: unknown;
}

/** The envelope of every acknowledgement (PROTOCOL.md). */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: AckError };
