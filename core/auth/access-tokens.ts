import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { Role } from '../contract/primitives.js';
import { AppError } from '../domain/app-error.js';
import { secretKeyOf } from './secret-key.js';

export interface Principal {
  userId: string;
  role: Role;
  /** When the token was signed (ms); a token older than the user's last session end is dead. */
  issuedAtMs?: number;
  /** When the token stops being valid (ms); a live socket checks it on every command. */
  expiresAtMs?: number;
  /** The sign-in it belongs to (its refresh-token family): logout ends exactly that session. */
  sessionId?: string;
}

// `ims` is the issue time in ms: `iat` has whole seconds, too coarse to tell a token signed just
// before an admin ended the user's sessions from a login a few ms after.
const Claims = z.object({
  sub: z.string().uuid(),
  role: Role,
  typ: z.literal('access'),
  iat: z.number(),
  exp: z.number(),
  ims: z.number().optional(),
  sid: z.string().uuid().optional(),
});
const ISSUER = 'evently';

export function signAccessToken(p: Principal, secret: string, ttlSeconds: number): string {
  const session = p.sessionId ? { sid: p.sessionId } : {};
  return jwt.sign({ role: p.role, typ: 'access', ims: Date.now(), ...session }, secretKeyOf(secret), {
    algorithm: 'HS256',
    subject: p.userId,
    issuer: ISSUER,
    expiresIn: ttlSeconds,
  });
}

/** Verifies signature, algorithm, issuer and expiry; throws UNAUTHENTICATED on any doubt. */
export function verifyAccessToken(token: unknown, secret: string): Principal {
  if (typeof token !== 'string' || token.length === 0 || token.length > 4096) {
    throw new AppError('UNAUTHENTICATED', 'missing or malformed access token');
  }
  let decoded: unknown;
  try {
    decoded = jwt.verify(token, secretKeyOf(secret), { algorithms: ['HS256'], issuer: ISSUER });
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError;
    throw new AppError('UNAUTHENTICATED', expired ? 'access token expired' : 'invalid access token');
  }
  const claims = Claims.safeParse(decoded);
  if (!claims.success) throw new AppError('UNAUTHENTICATED', 'invalid access token');
  const c = claims.data;
  return {
    userId: c.sub,
    role: c.role,
    issuedAtMs: c.ims ?? c.iat * 1000,
    expiresAtMs: c.exp * 1000,
    ...(c.sid ? { sessionId: c.sid } : {}),
  };
}
