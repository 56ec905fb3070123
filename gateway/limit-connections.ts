import type { Config } from '../core/config.js';
import type { IsTrustedProxy } from './http/client-address.js';
import { limitedClientAddressOf } from './http/client-address.js';

type Next = (err?: Error) => void;
interface Handshaking {
  handshake: { address: string; headers: Record<string, string | string[] | undefined> };
  data: { principal: { userId: string } | null; address?: string };
  once(event: 'disconnect', listener: () => void): unknown;
}

/** The client address of a socket, by the same trusted-proxy rule as HTTP, as the limits count it (IPv6: its /64). */
export function recordClientAddress(isTrusted: IsTrustedProxy) {
  return (socket: Handshaking, next: Next) => {
    const forwarded = socket.handshake.headers['x-forwarded-for'];
    socket.data.address = limitedClientAddressOf(
      socket.handshake.address,
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      isTrusted,
    );
    next();
  };
}

function refuse(next: Next, message: string) {
  const err = new Error(message) as Error & { data: { code: string; retryable: boolean; details: { retryAfterMs: number } } };
  // A socket goes away only when its client closes it: there is no better wait to offer.
  err.data = { code: 'RATE_LIMITED', retryable: true, details: { retryAfterMs: 5000 } };
  next(err);
}

/**
 * Caps open sockets on this gateway: per signed-in user, and anonymous ones per address (the
 * cheap way to exhaust a process's 20,000 file descriptors). Must run after authentication and
 * as the last middleware: a socket counted here is certain to connect, so its disconnect will
 * give the slot back.
 */
export function limitConnections(limits: Config['connectionLimits']) {
  const byUser = new Map<string, number>();
  const byAddress = new Map<string, number>();
  const count = (map: Map<string, number>, key: string, delta: number) => {
    const n = (map.get(key) ?? 0) + delta;
    if (n <= 0) map.delete(key);
    else map.set(key, n);
  };
  return (socket: Handshaking, next: Next) => {
    const userId = socket.data.principal?.userId;
    const [map, key, cap, what] = userId
      ? [byUser, userId, limits.socketsPerUser, 'connections for this user']
      : [byAddress, socket.data.address ?? '', limits.anonymousSocketsPerAddress, 'anonymous connections from this address'];
    if ((map.get(key) ?? 0) >= cap) return refuse(next, `too many ${what} (at most ${cap})`);
    count(map, key, 1);
    socket.once('disconnect', () => count(map, key, -1));
    next();
  };
}
