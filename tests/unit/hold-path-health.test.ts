import { describe, expect, it } from 'vitest';
import { reportSamples } from '../../gateway/waiting-room/hold-path-health.js';

describe('the hold-path health report samples', () => {
  it('counts every finished ack of the window', () => {
    expect(reportSamples([3, 120, 40], [], 1000)).toEqual([3, 120, 40]);
  });

  it('leaves a command in flight for less than one interval to its ack (a refusal caught in flight is no sample)', () => {
    expect(reportSamples([], [0.2, 5, 999], 1000)).toEqual([]);
  });

  it('counts a command stuck for longer than one interval at its age so far', () => {
    expect(reportSamples([10], [1500, 20], 1000)).toEqual([10, 1500]);
  });
});
