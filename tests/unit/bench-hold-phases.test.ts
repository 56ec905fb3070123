import { describe, expect, it } from 'vitest';
import type { LatencySample } from '../../load-tests/harness/bench-types.js';
import { holdPhases } from '../../load-tests/harness/summarize-run.js';

describe('bench hold phases: opening seconds against the rest of the sale', () => {
  const start = 1_000_000;

  it('splits by send time at the window, over answered acks only', () => {
    const samples: LatencySample[] = [
      [start, 400, ''],
      [start + 9_999, 300, 'SEAT_TAKEN'],
      [start + 5_000, 9_000, 'CLIENT_TIMEOUT'], // never answered: in neither side
      [start + 10_000, 50, ''],
      [start + 30_000, 100, ''],
    ];
    const h = holdPhases(samples, start);
    expect(h.openingSeconds).toBe(10);
    expect(h.opening).toMatchObject({ count: 2, errors: 1, p99: 400, p50: 300 });
    expect(h.after).toMatchObject({ count: 2, errors: 0, p99: 100, p50: 50 });
    expect(h.p99Ratio).toBe(4);
  });

  it('has no ratio when a side is empty', () => {
    const h = holdPhases([[start + 1, 20, '']], start, 5_000);
    expect(h.after.count).toBe(0);
    expect(h.p99Ratio).toBeNull();
  });
});
