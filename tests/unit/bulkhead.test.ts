import { describe, expect, it } from 'vitest';
import { createBulkhead } from '../../core/rate-limits/create-bulkhead.js';

describe('createBulkhead', () => {
  it('runs at most `concurrency` at once, queues `queue` more and refuses the rest with OVERLOADED', async () => {
    const bulkhead = createBulkhead(2, 3, 250);
    let running = 0;
    let peak = 0;
    const gates: (() => void)[] = [];
    const task = () =>
      new Promise<string>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        gates.push(() => {
          running -= 1;
          resolve('done');
        });
      });
    const results = Array.from({ length: 8 }, () => bulkhead.run(task).catch((e) => e));
    const refused = await Promise.all(results.slice(5));
    for (const r of refused) expect(r).toMatchObject({ code: 'OVERLOADED', retryable: true, details: { retryAfterMs: 250 } });
    while (gates.length > 0 || running > 0) {
      gates.shift()?.();
      await new Promise((r) => setTimeout(r, 1));
    }
    expect(await Promise.all(results.slice(0, 5))).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(peak).toBe(2);
  });

  it('frees its slot when a task fails', async () => {
    const bulkhead = createBulkhead(1, 0, 100);
    await expect(bulkhead.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await bulkhead.run(async () => 'next')).toBe('next');
  });
});
