import { AppError } from '../domain/app-error.js';

/**
 * At most `concurrency` tasks run at once, at most `queue` more wait; past that the answer is
 * OVERLOADED at once (retryable, `details.retryAfterMs`) instead of a pile-up. For work that is
 * expensive per call whoever sends it: an argon2id hash takes 19 MiB and tens of ms of a core,
 * so a few hundred parallel sign-ups from many addresses would otherwise take the process's
 * memory and every core, seat commands included. Also the waiting room's lane (gateway
 * socket commands of people who wait: queue:join, queue:status, availability:subscribe).
 */
export function createBulkhead(
  concurrency: number,
  queue: number,
  retryAfterMs: number,
  refusal = 'too many sign-ins at once, try again shortly',
) {
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    running -= 1;
    const next = waiting.shift();
    if (next) {
      running += 1;
      next();
    }
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (running >= concurrency) {
        if (waiting.length >= queue) {
          throw new AppError('OVERLOADED', refusal, { retryAfterMs });
        }
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}

export type Bulkhead = ReturnType<typeof createBulkhead>;
