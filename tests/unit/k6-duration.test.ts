import { describe, expect, it } from 'vitest';
import { envDurationMs, k6Duration, parseDurationMs, refuseRetired } from '../../load-tests/k6/lib/duration.js';

/** Every duration of every k6 script goes through this at init (k6 exits 107 when it throws). */
describe('k6 durations', () => {
  it('reads single units, plain seconds and fractions', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('30m')).toBe(1_800_000);
    expect(parseDurationMs('1h')).toBe(3_600_000); // admin-watch used to turn this into NaN
    expect(parseDurationMs('2d')).toBe(172_800_000);
    expect(parseDurationMs('45')).toBe(45_000);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs(' 2m ')).toBe(120_000);
  });

  it('reads compound durations as k6 does (1m30s, 1h30m)', () => {
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1h2m3s500ms')).toBe(3_723_500);
    expect(parseDurationMs('2m500ms')).toBe(120_500);
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['', '1w', 'h', '10 m', '1m30', 'soon', '-5s', '1m 30s', 'ms', '1.s']) {
      expect(() => parseDurationMs(bad, 'RAMP'), bad).toThrow(/RAMP/);
    }
  });

  it('reads the environment at init the same way, with a default', () => {
    expect(envDurationMs({ HOLD: '1m30s' }, 'HOLD', '2m')).toBe(90_000);
    expect(envDurationMs({}, 'HOLD', '2m')).toBe(120_000);
    expect(envDurationMs({ HOLD: '' }, 'HOLD', '2m')).toBe(120_000);
    expect(() => envDurationMs({ HOLD: '2 minutes' }, 'HOLD', '2m')).toThrow(/HOLD/);
    expect(k6Duration(90_000)).toBe('90000ms');
  });

  it('refuses a renamed variable instead of ignoring it', () => {
    expect(() => refuseRetired({ PACE_MS: '2000' }, { PACE_MS: 'PACE' })).toThrow(/PACE_MS is now PACE/);
    expect(() => refuseRetired({ PACE: '2s' }, { PACE_MS: 'PACE' })).not.toThrow();
  });
});
