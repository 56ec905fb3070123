import { describe, expect, it } from 'vitest';
import { eachInSlices } from '../../core/each-in-slices.js';

describe('eachInSlices', () => {
  it('visits every item once, in order', async () => {
    const seen: number[] = [];
    await eachInSlices([...Array(1000).keys()], 64, (i) => seen.push(i));
    expect(seen).toEqual([...Array(1000).keys()]);
  });

  it('lets due I/O callbacks run between slices, not within one', async () => {
    const log: string[] = [];
    // Queued before the loop starts, as a socket's data or a database reply would be.
    setImmediate(() => log.push('io'));
    await eachInSlices([...Array(10).keys()], 4, (i) => log.push(String(i)));
    expect(log).toEqual(['0', '1', '2', '3', 'io', '4', '5', '6', '7', '8', '9']);
  });

  it('runs a loop shorter than one slice without giving the event loop a turn', async () => {
    const log: string[] = [];
    setImmediate(() => log.push('io'));
    await eachInSlices([1, 2, 3], 4, (i) => log.push(String(i)));
    expect(log).toEqual(['1', '2', '3']);
  });

  it('refuses a slice that is not a positive integer', async () => {
    for (const slice of [0, -1, 1.5, Number.NaN]) {
      await expect(eachInSlices([1], slice, () => {})).rejects.toThrow('slice');
    }
  });
});
