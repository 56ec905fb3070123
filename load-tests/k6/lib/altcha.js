// PROTOCOL "a door that bots pay for": the proof of work of an ALTCHA challenge. Pure: the
// SHA-256 comes from the caller (k6/crypto in the scripts, node:crypto in the unit test).

/** @typedef {{ algorithm: string, challenge: string, salt: string, maxnumber: number, signature: string }} Challenge */

/** The largest `maxnumber` the scripts will work through (a server asking for more is refused). */
export const MAX_WORK = 10_000_000;

/**
 * The challenge of a `CHALLENGE_REQUIRED` ack (`details.challenge`), or null when the ack carries
 * none the scripts can solve (another algorithm, a malformed one, more work than MAX_WORK).
 * @param {{ ok: boolean, error?: { code: string, details?: any } }} ack
 * @returns {Challenge | null}
 */
export function challengeOf(ack) {
  if (ack.ok || ack.error?.code !== 'CHALLENGE_REQUIRED') return null;
  const c = ack.error.details?.challenge;
  if (!c || typeof c !== 'object') return null;
  const ok =
    c.algorithm === 'SHA-256' &&
    typeof c.challenge === 'string' &&
    typeof c.salt === 'string' &&
    typeof c.signature === 'string' &&
    Number.isInteger(c.maxnumber) &&
    c.maxnumber >= 0 &&
    c.maxnumber <= MAX_WORK;
  return ok ? c : null;
}

/**
 * Finds `number` in `from..to` (inclusive, within 0..maxnumber) whose lowercase hex SHA-256 of
 * `salt + number` is `challenge`; null when none in that slice.
 * @param {Challenge} c
 * @param {(text: string) => string} sha256hex
 * @param {number} [from]
 * @param {number} [to]
 */
export function solveSlice(c, sha256hex, from = 0, to = c.maxnumber) {
  const target = c.challenge.toLowerCase();
  const end = Math.min(to, c.maxnumber);
  for (let n = Math.max(0, from); n <= end; n++) if (sha256hex(c.salt + n) === target) return n;
  return null;
}

/**
 * The whole search, `slice` numbers at a time with `pause()` between slices, so the VU's event
 * loop keeps answering pings while it works. Null when no number fits.
 * @param {Challenge} c
 * @param {(text: string) => string} sha256hex
 * @param {() => Promise<unknown>} pause
 * @param {number} [slice]
 * @returns {Promise<number | null>}
 */
export async function solveChallenge(c, sha256hex, pause, slice = 5000) {
  for (let from = 0; from <= c.maxnumber; from += slice) {
    const n = solveSlice(c, sha256hex, from, from + slice - 1);
    if (n !== null) return n;
    await pause();
  }
  return null;
}

/**
 * The `proof` to join with: base64 of the JSON `{algorithm, challenge, number, salt, signature}`.
 * @param {Challenge} c @param {number} number
 */
export function encodeProof(c, number) {
  return base64(JSON.stringify({ algorithm: c.algorithm, challenge: c.challenge, number, salt: c.salt, signature: c.signature }));
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 (with padding) of a string's UTF-8 bytes. @param {string} text */
export function base64(text) {
  /** @type {number[]} */
  const bytes = [];
  for (const ch of text) {
    const cp = /** @type {number} */ (ch.codePointAt(0));
    if (cp < 0x80) bytes.push(cp);
    else if (cp < 0x800) bytes.push(0xc0 | (cp >> 6), 0x80 | (cp & 63));
    else if (cp < 0x10000) bytes.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
    else bytes.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63));
  }
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = [bytes[i], bytes[i + 1], bytes[i + 2]];
    const n = (a << 16) | (b << 8) | c;
    out += ALPHABET[(n >> 18) & 63] + ALPHABET[(n >> 12) & 63];
    out += i + 1 < bytes.length ? ALPHABET[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? ALPHABET[n & 63] : '=';
  }
  return out;
}
