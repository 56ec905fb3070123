import { type Principal, verifyAccessToken } from '../../core/auth/access-tokens.js';
import { AppError } from '../../core/domain/app-error.js';
import type { HttpRequest } from './http-request.js';

export function requireUser(req: HttpRequest, secret: string): Principal {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/i.exec(header);
  if (!match) throw new AppError('UNAUTHENTICATED', 'missing bearer token');
  const principal = verifyAccessToken(match[1], secret);
  if (req.isSessionEnded?.(principal)) throw new AppError('UNAUTHENTICATED', 'this session has ended: sign in again');
  return principal;
}
