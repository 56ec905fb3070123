import { AppError } from '../domain/app-error.js';
import type { Principal } from './access-tokens.js';
import type { EndedSessions } from './ended-sessions.js';

/**
 * A socket authenticates once, at its handshake; its principal must not outlive the token it
 * came from. Checked on every command: expiry, and sessions ended since (role change, revoke).
 */
export function checkPrincipalLive(principal: Principal | null, sessions: EndedSessions | undefined, nowMs: number): void {
  if (!principal) return;
  if (principal.expiresAtMs !== undefined && principal.expiresAtMs <= nowMs) {
    throw new AppError('UNAUTHENTICATED', 'access token expired: reconnect with a fresh token', { reason: 'token_expired' });
  }
  if (sessions?.isEnded(principal)) {
    throw new AppError('UNAUTHENTICATED', 'this session has ended: sign in again', { reason: 'session_ended' });
  }
}
