import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { keepSignedAdmissionTokens, signAdmissionToken, verifyAdmissionToken } from '../../core/auth/admission-tokens.js';
import { isAppError } from '../../core/domain/app-error.js';

const SECRET = 'admission-secret-for-unit-tests-0123456789';

function codeOf(run: () => unknown): string {
  try {
    run();
    return 'ok';
  } catch (err) {
    if (isAppError(err)) return err.code;
    throw err;
  }
}

type Sign = (c: { userId: string; eventId: string; sessionId: string }, iat: Date) => string;

// This process checks tokens, as a gateway does: the tokens it signs are kept as verified at once.
keepSignedAdmissionTokens();

/**
 * Where a token comes from: this process (signing puts it among the verified tokens at once) or
 * another one (a worker's admission push: the first use here checks its signature). Both must
 * be judged alike.
 */
const ORIGINS: [string, Sign][] = [
  ['signed in this process', (c, iat) => signAdmissionToken(c, SECRET, 60, iat)],
  [
    'signed by another process',
    (c, iat) =>
      jwt.sign({ evt: c.eventId, sid: c.sessionId, typ: 'admission', iat: Math.floor(iat.getTime() / 1000) }, SECRET, {
        algorithm: 'HS256',
        subject: c.userId,
        issuer: 'evently-admission',
        expiresIn: 60,
      }),
  ],
];

describe.each(ORIGINS)('verifyAdmissionToken, a token %s (signatures checked once, the rest on every use)', (_, sign) => {
  /** A token issued at `issuedAt` for 60 s, with the user and event it binds. */
  function issued(issuedAt = new Date()) {
    const who = { userId: randomUUID(), eventId: randomUUID() };
    const sessionId = randomUUID();
    const token = sign({ ...who, sessionId }, issuedAt);
    return { who, sessionId, token, expSec: Math.floor(issuedAt.getTime() / 1000) + 60 };
  }

  it('gives the same claims on every use of a genuine token', () => {
    const t = issued();
    const now = new Date();
    const first = verifyAdmissionToken(t.token, t.who, SECRET, now);
    expect(first).toEqual({ ...t.who, sessionId: t.sessionId });
    expect(verifyAdmissionToken(t.token, t.who, SECRET, now)).toEqual(first);
  });

  it('still expires a token it has already checked, from the second exp names', () => {
    const t = issued();
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, SECRET, new Date((t.expSec - 1) * 1000)))).toBe('ok');
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, SECRET, new Date(t.expSec * 1000)))).toBe('ADMISSION_EXPIRED');
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, SECRET, new Date((t.expSec - 1) * 1000)))).toBe('ok');
  });

  it('expires a token seen for the first time past its time', () => {
    const t = issued(new Date(Date.now() - 120_000));
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, SECRET, new Date()))).toBe('ADMISSION_EXPIRED');
  });

  it('refuses a checked token for another user or event', () => {
    const t = issued();
    const now = new Date();
    verifyAdmissionToken(t.token, t.who, SECRET, now);
    expect(codeOf(() => verifyAdmissionToken(t.token, { ...t.who, userId: randomUUID() }, SECRET, now))).toBe('NOT_ADMITTED');
    expect(codeOf(() => verifyAdmissionToken(t.token, { ...t.who, eventId: randomUUID() }, SECRET, now))).toBe('NOT_ADMITTED');
  });

  it('refuses a checked token under another secret, and a forged copy of one', () => {
    const t = issued();
    const now = new Date();
    verifyAdmissionToken(t.token, t.who, SECRET, now);
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, `${SECRET}-rotated`, now))).toBe('NOT_ADMITTED');
    const [header, payload, signature] = t.token.split('.') as [string, string, string];
    const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    expect(codeOf(() => verifyAdmissionToken(forged, t.who, SECRET, now))).toBe('NOT_ADMITTED');
    expect(codeOf(() => verifyAdmissionToken('not-a-token', t.who, SECRET, now))).toBe('NOT_ADMITTED');
    // The genuine one is still good after the forgeries.
    expect(codeOf(() => verifyAdmissionToken(t.token, t.who, SECRET, now))).toBe('ok');
  });
});

describe('signAdmissionToken', () => {
  it('gives the token another process signing the same session gives (a re-delivered token is the same)', () => {
    const c = { userId: randomUUID(), eventId: randomUUID(), sessionId: randomUUID() };
    const at = new Date(Date.now() - 5_000);
    expect(signAdmissionToken(c, SECRET, 60, at)).toBe((ORIGINS[1] as [string, Sign])[1](c, at));
  });
});
