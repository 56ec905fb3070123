import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AppError } from '../domain/app-error.js';
import { secretKeyOf } from './secret-key.js';

const Claims = z.object({ sub: z.string().uuid(), evt: z.string().uuid(), sid: z.string().min(1), typ: z.literal('admission') });
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
 */
export function signAdmissionToken(c: AdmissionClaims, secret: string, ttlSeconds: number, issuedAt?: Date): string {
  const iat = issuedAt ? { iat: Math.floor(issuedAt.getTime() / 1000) } : {};
  return jwt.sign({ evt: c.eventId, sid: c.sessionId, typ: 'admission', ...iat }, secretKeyOf(secret), {
    algorithm: 'HS256',
    subject: c.userId,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
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
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secretKeyOf(secret), {
      algorithms: ['HS256'],
      issuer: ISSUER,
      clockTimestamp: Math.floor(now.getTime() / 1000),
    });
  } catch (err) {
    if (err instanceof jwt.TokenExpiredError) throw new AppError('ADMISSION_EXPIRED', 'admission expired, join the queue again');
    throw new AppError('NOT_ADMITTED', 'invalid admission token');
  }
  const claims = Claims.safeParse(decoded);
  if (!claims.success) throw new AppError('NOT_ADMITTED', 'invalid admission token');
  if (claims.data.sub !== expect.userId || claims.data.evt !== expect.eventId) {
    throw new AppError('NOT_ADMITTED', 'admission token is for another user or event');
  }
  return { userId: claims.data.sub, eventId: claims.data.evt, sessionId: claims.data.sid };
}
