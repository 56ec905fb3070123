/** Milliseconds per unit of a k6 duration (k6 reads Go durations plus days). */
const UNIT_MS = { d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };

/**
 * k6 durations for env variables, as k6 reads its own options: one or more number+unit pairs
 * (`500ms`, `90s`, `1m30s`, `1h30m`, `1.5h`, `2d`) or plain seconds (`45`). Anything else throws,
 * so a typo fails the run at init (k6 exits 107) instead of running for NaN ms.
 * @param {string} d
 * @param {string} name the variable, for the error
 * @returns {number} milliseconds (whole)
 */
export function parseDurationMs(d, name = 'DURATION') {
  const text = String(d).trim();
  const fail = () => new Error(`${name}: use a k6 duration such as 500ms, 90s, 1m30s, 1h30m or plain seconds, got "${d}"`);
  if (/^\d+(?:\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/.test(text)) throw fail();
  let ms = 0;
  const pair = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  for (let m = pair.exec(text); m; m = pair.exec(text)) {
    ms += Number(m[1]) * UNIT_MS[/** @type {keyof typeof UNIT_MS} */ (m[2])];
  }
  return Math.round(ms);
}

/**
 * A duration from the environment at init: `env[name]` when set, else `fallback` (also a duration
 * string). Every script reads every duration through this, so all accept the same forms.
 * @param {Record<string, string | undefined>} env
 * @param {string} name
 * @param {string} fallback
 */
export function envDurationMs(env, name, fallback) {
  const value = env[name];
  return parseDurationMs(value === undefined || value === '' ? fallback : value, name);
}

/** A duration as k6 options take it (`90000ms`). @param {number} ms */
export const k6Duration = (ms) => `${Math.round(ms)}ms`;

/**
 * Throws at init when a variable that was renamed is still set (`PACE_MS` is now `PACE`, a k6
 * duration), so an operator's old command line fails at start instead of being ignored.
 * @param {Record<string, string | undefined>} env
 * @param {Record<string, string>} renamed old name -> new name
 */
export function refuseRetired(env, renamed) {
  for (const [old, now] of Object.entries(renamed)) {
    if (env[old] !== undefined && env[old] !== '') throw new Error(`${old} is now ${now}, a k6 duration (500ms, 2s, 1m30s)`);
  }
}
