import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { createChallenge, verifySolution } from 'altcha-lib/v1';
import { describe, expect, it } from 'vitest';
import {
  base64,
  type Challenge,
  challengeOf,
  encodeProof,
  MAX_WORK,
  solveChallenge,
  solveSlice,
} from '../../load-tests/k6/lib/altcha.js';

const sha256hex = (text: string) => createHash('sha256').update(text).digest('hex');
const HMAC_KEY = randomBytes(16);

/** An ALTCHA challenge as PROTOCOL v1.2 describes it, made with node:crypto as a server would. */
function makeChallenge(maxnumber: number, number = randomInt(0, maxnumber + 1)): Challenge {
  const salt = `${randomBytes(12).toString('hex')}?expires=${Math.floor(Date.now() / 1000) + 600}`;
  const challenge = sha256hex(salt + number);
  return {
    algorithm: 'SHA-256',
    challenge,
    salt,
    maxnumber,
    signature: createHmac('sha256', HMAC_KEY).update(challenge).digest('hex'),
  };
}

/** What the server checks: the proof decodes, its number solves the challenge, the signature is ours. */
function verifyProof(proof: string): boolean {
  const p = JSON.parse(Buffer.from(proof, 'base64').toString('utf8')) as Record<string, unknown>;
  expect(Object.keys(p).sort()).toEqual(['algorithm', 'challenge', 'number', 'salt', 'signature']);
  return (
    p.algorithm === 'SHA-256' &&
    sha256hex(`${p.salt}${p.number}`) === p.challenge &&
    createHmac('sha256', HMAC_KEY).update(String(p.challenge)).digest('hex') === p.signature
  );
}

const refusal = (challenge: unknown) => ({ ok: false, error: { code: 'CHALLENGE_REQUIRED', details: { challenge } } });

describe('k6 proof of work (ALTCHA)', () => {
  it('solves a challenge and sends a proof the server accepts', async () => {
    const c = makeChallenge(50_000);
    let pauses = 0;
    const n = await solveChallenge(c, sha256hex, async () => void pauses++, 5000);
    expect(sha256hex(c.salt + n)).toBe(c.challenge);
    expect(pauses).toBe(Math.floor((n as number) / 5000)); // pauses between slices keep the VU's pings going
    expect(verifyProof(encodeProof(c, n as number))).toBe(true);
    // A wrong number is refused by the same check (the test can fail).
    expect(verifyProof(encodeProof(c, ((n as number) + 1) % 50_001))).toBe(false);
  });

  it('solves a challenge made by altcha-lib (the library the server uses), which accepts the proof', async () => {
    const hmacKey = randomBytes(16).toString('hex');
    const made = await createChallenge({ hmacKey, maxNumber: 20_000, expires: new Date(Date.now() + 600_000) });
    const c = challengeOf(refusal({ ...made, maxnumber: made.maxnumber ?? 20_000 }));
    expect(c).not.toBeNull();
    const n = await solveChallenge(c as Challenge, sha256hex, async () => {});
    expect(n).not.toBeNull();
    expect(await verifySolution(encodeProof(c as Challenge, n as number), hmacKey)).toBe(true);
    expect(await verifySolution(encodeProof(c as Challenge, (n as number) + 1), hmacKey)).toBe(false);
  });

  it('finds the edges of the range and gives up past it', async () => {
    expect(await solveChallenge(makeChallenge(1000, 0), sha256hex, async () => {})).toBe(0);
    expect(await solveChallenge(makeChallenge(1000, 1000), sha256hex, async () => {}, 7)).toBe(1000);
    const outside = { ...makeChallenge(1000, 1001), maxnumber: 1000 };
    expect(await solveChallenge(outside, sha256hex, async () => {})).toBeNull();
    expect(solveSlice(makeChallenge(100, 50), sha256hex, 0, 49)).toBeNull();
  });

  it('reads the challenge of a CHALLENGE_REQUIRED ack, refusing what it cannot solve', () => {
    const c = makeChallenge(10);
    expect(challengeOf(refusal(c))).toEqual(c);
    expect(challengeOf({ ok: true })).toBeNull();
    expect(challengeOf({ ok: false, error: { code: 'SOLD_OUT', details: { challenge: c } } })).toBeNull();
    expect(challengeOf(refusal({ ...c, algorithm: 'SHA-512' }))).toBeNull();
    expect(challengeOf(refusal({ ...c, maxnumber: MAX_WORK + 1 }))).toBeNull();
    expect(challengeOf(refusal({ ...c, maxnumber: 1.5 }))).toBeNull();
    expect(challengeOf(refusal({ ...c, salt: 3 }))).toBeNull();
    expect(challengeOf(refusal(undefined))).toBeNull();
  });

  it('base64 matches Buffer for ASCII and UTF-8', () => {
    for (const s of ['', 'a', 'ab', 'abc', 'abcd', '{"salt":"x?y=1"}', 'é€😀 ü'])
      expect(base64(s)).toBe(Buffer.from(s, 'utf8').toString('base64'));
  });
});
