import type { Principal } from '../../core/auth/access-tokens.js';
import { verifyAccessToken } from '../../core/auth/access-tokens.js';
import type { EndedSessions } from '../../core/auth/ended-sessions.js';
import type { Db } from '../../core/db/pool.js';
import { isAppError } from '../../core/domain/app-error.js';
import { isStaff } from '../../core/domain/can-manage.js';
import { getCurrentActor } from '../../core/use-cases/users/get-current-actor.js';

type Next = (err?: Error) => void;
interface Handshakeable {
  handshake: { auth: Record<string, unknown> };
  data: { principal: Principal | null };
}

function refuse(next: Next, code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string) {
  const err = new Error(message) as Error & { data: { code: string } };
  err.data = { code };
  next(err);
}

/** `/`: the token is optional; a token that is present must be valid. */
export function authenticateUser(secret: string, sessions?: EndedSessions) {
  return (socket: Handshakeable, next: Next) => {
    const token = socket.handshake.auth?.token;
    if (token === undefined || token === null || token === '') {
      socket.data.principal = null;
      return next();
    }
    try {
      const principal = verifyAccessToken(token, secret);
      if (sessions?.isEnded(principal)) return refuse(next, 'UNAUTHENTICATED', 'this session has ended: sign in again');
      socket.data.principal = principal;
      next();
    } catch (err) {
      refuse(next, 'UNAUTHENTICATED', isAppError(err) ? err.message : 'invalid token');
    }
  };
}

/**
 * `/admin`: an admin's or organizer's valid token or nothing (organizers see their own events
 * only). The role is the account's role now, read from Postgres (getCurrentActor), never the
 * token's claim alone.
 */
export function authenticateAdmin(secret: string, db: Db, sessions?: EndedSessions) {
  return async (socket: Handshakeable, next: Next) => {
    try {
      const principal = verifyAccessToken(socket.handshake.auth?.token, secret);
      if (sessions?.isEnded(principal)) return refuse(next, 'UNAUTHENTICATED', 'this session has ended: sign in again');
      const actor = await getCurrentActor(db, principal);
      if (!isStaff(actor.role)) return refuse(next, 'FORBIDDEN', 'admins and organizers only');
      socket.data.principal = principal;
      next();
    } catch (err) {
      if (isAppError(err) && err.code !== 'UNAUTHENTICATED') return refuse(next, 'FORBIDDEN', err.message);
      refuse(next, 'UNAUTHENTICATED', isAppError(err) ? err.message : 'invalid token');
    }
  };
}
