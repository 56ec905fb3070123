/**
 * k6-style durations for env variables: `90s`, `30m`, `2h`, `500ms` or plain seconds (`45`).
 * Anything else throws, so a typo fails the run at start instead of running for NaN ms.
 * @param {string} d
 * @param {string} name the variable, for the error
 * @returns {number} milliseconds
 */
export function parseDurationMs(d, name = 'DURATION') {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(d).trim());
  if (!m) throw new Error(`${name}: use 500ms, 90s, 30m, 2h or seconds, got ${d}`);
  const unit = /** @type {'ms' | 's' | 'm' | 'h'} */ (m[2] ?? 's');
  return Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[unit];
}
