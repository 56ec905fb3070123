import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { Role } from '../contract/primitives.js';
import { AppError } from '../domain/app-error.js';
import { secretKeyOf } from './secret-key.js';

export interface Principal {
  userId: string;
  role: Role;
}

const Claims = z.object({ sub: z.string().uuid(), role: Role, typ: z.literal('access') });
const ISSUER = 'evently';

export function signAccessToken(p: Principal, secret: string, ttlSeconds: number): string {
  return jwt.sign({ role: p.role, typ: 'access' }, secretKeyOf(secret), {
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
  return { userId: claims.data.sub, role: claims.data.role };
}
