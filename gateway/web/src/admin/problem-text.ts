import { ApiError } from '../api/http-api.js';

/** A failed console call in words: the server's validation issues field by field, else its message. */
export function problemText(err: unknown): string {
  if (err instanceof ApiError) {
    const issues = (err.details as { issues?: { path?: string[]; message: string }[] } | undefined)?.issues;
    if (issues?.length) return issues.map((i) => `${i.path?.join('.') || 'request'}: ${i.message}`).join('; ');
    return err.message;
  }
  return 'The server cannot be reached.';
}
