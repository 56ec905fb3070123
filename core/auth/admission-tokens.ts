import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { secretKeyOf } from './secret-key.js';

const Claims = z.object({
  sub: z.string().uuid(),
  evt: z.string().uuid(),
  sid: z.string().min(1),
  typ: z.literal('admission'),
  exp: z.number(),
});
const ISSUER = 'evently-admission';

export interface AdmissionClaims {
  userId: string;
  eventId: string;
  /** The admission session this token belongs to (ends on leave, last hold done, or TTL). */
  sessionId: string;
}

/**
 * `issuedAt` (optional) fixes `iat`: the same claims and issue time always give the same token, so
 * any process can hand an admitted user their token again from the stored session alone.
 * The token is genuine by construction: in a process that checks tokens (a gateway, see
 * keepSignedAdmissionTokens) it goes into the verified tokens at once, so the buyer's first hold
 * through it skips the signature check too. A process that only signs (the admission worker,
 * which signs every admission) keeps none.
 */
export function signAdmissionToken(c: AdmissionClaims, secret: string, ttlSeconds: number, issuedAt?: Date): string {
  // jsonwebtoken takes a given `iat` as its clock (exp = iat + expiresIn): the same token as
  // letting it read the clock itself, with the expiry known here.
  const iat = Math.floor((issuedAt ?? new Date()).getTime() / 1000);
  const token = jwt.sign({ evt: c.eventId, sid: c.sessionId, typ: 'admission', iat }, secretKeyOf(secret), {
    algorithm: 'HS256',
    subject: c.userId,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
  if (keepSigned) verified.set(token, { secret, claims: { ...c }, expSec: iat + ttlSeconds });
  return token;
}

interface VerifiedToken {
  secret: string;
  claims: AdmissionClaims;
  expSec: number;
}

/**
 * Tokens whose signature was checked, with their claims: a buyer sends the same token with every
 * hold, and checking its HMAC and parsing it again each time is a measurable share of a gateway's
 * CPU in an on-sale. A token's signature and claims never change; what does (the time) is checked on every
 * use. Only genuine tokens are kept; bounded, least recently used out first.
 */
const verified = new LRUCache<string, VerifiedToken>({ max: 20_000 });
let keepSigned = false;

/** For a process that checks admission tokens (a gateway): the tokens it signs are kept as verified. */
export function keepSignedAdmissionTokens(): void {
  keepSigned = true;
}

/**
 * Checks signature, expiry and binding to this user and event. NOT_ADMITTED for anything forged
 * or bound elsewhere, ADMISSION_EXPIRED for a genuine token past its time.
 */
export function verifyAdmissionToken(
  token: string,
  expect: { userId: string; eventId: string },
  secret: string,
  now: Date,
): AdmissionClaims {
  const nowSec = Math.floor(now.getTime() / 1000);
  let known = verified.get(token);
  if (known?.secret !== secret) {
    known = { secret, ...checkSignature(token, secret, nowSec) };
    verified.set(token, known);
  }
  // jsonwebtoken's own rule: expired from the second `exp` names.
  if (nowSec >= known.expSec) throw new AppError('ADMISSION_EXPIRED', 'admission expired, join the queue again');
  if (known.claims.userId !== expect.userId || known.claims.eventId !== expect.eventId) {
    throw new AppError('NOT_ADMITTED', 'admission token is for another user or event');
  }
  return known.claims;
}

function checkSignature(token: string, secret: string, nowSec: number): Omit<VerifiedToken, 'secret'> {
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secretKeyOf(secret), { algorithms: ['HS256'], issuer: ISSUER, clockTimestamp: nowSec });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new AppError('ADMISSION_EXPIRED', 'admission expired, join the queue again');
    throw new AppError('NOT_ADMITTED', 'invalid admission token');
  }
  const claims = Claims.safeParse(decoded);
  if (!claims.success) throw new AppError('NOT_ADMITTED', 'invalid admission token');
  return {
    claims: { userId: claims.data.sub, eventId: claims.data.evt, sessionId: claims.data.sid },
    expSec: claims.data.exp,
  };
}
