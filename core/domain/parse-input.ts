import type { z } from 'zod';
import { AppError } from './app-error.js';

/** Parses untrusted input with a contract schema; VALIDATION_FAILED lists every issue. */
export function parseInput<S extends z.ZodTypeAny>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 20).map((i) => ({ path: i.path.join('.'), message: i.message }));
  throw new AppError(
    'VALIDATION_FAILED',
    issues
      .map((i) => (i.path ? `${i.path}: ${i.message}` : i.message))
      .join('; ')
      .slice(0, 500),
    { issues },
  );
}
