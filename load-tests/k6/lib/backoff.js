/** The longest a VU waits before trying a refused request again. */
export const MAX_BACKOFF_MS = 30000;

/**
 * How long to wait before trying again after `failures` refusals in a row (1 for the first): the
 * server's hint (Retry-After or `retryAfterMs`, 0 when none) or 0.5 s doubling per refusal,
 * whichever is longer, never more than MAX_BACKOFF_MS (a per-hour limit's Retry-After would park
 * the VU past the run), times a jitter in 0.75..1.25 so VUs refused together do not come back
 * together. Pure: `random` is Math.random in the scripts.
 * @param {number} hintMs
 * @param {number} failures
 * @param {() => number} [random]
 */
export function backoffDelayMs(hintMs, failures, random = Math.random) {
  const exp = 500 * 2 ** Math.max(0, failures - 1);
  const hint = Number.isFinite(hintMs) && hintMs > 0 ? hintMs : 0;
  return Math.min(MAX_BACKOFF_MS, Math.max(hint, exp)) * (0.75 + random() / 2);
}

/**
 * The server's hint in an HTTP refusal: `Retry-After` (seconds) or the body's
 * `error.details.retryAfterMs`, whichever is longer; 0 when neither.
 * @param {string | undefined} retryAfterHeader
 * @param {string | null | undefined} body
 */
export function retryHintMs(retryAfterHeader, body) {
  const header = Number(retryAfterHeader);
  let hint = Number.isFinite(header) && header > 0 ? header * 1000 : 0;
  try {
    const ms = JSON.parse(body ?? '')?.error?.details?.retryAfterMs;
    if (typeof ms === 'number' && ms > hint) hint = ms;
  } catch {
    // not JSON
  }
  return hint;
}
