import type { Config } from '../core/config.js';
import type { IsTrustedProxy } from './http/client-address.js';
import { limitedClientAddressOf } from './http/client-address.js';

/** An Engine.IO connection as far as counting it goes. */
interface EngineConnection {
  remoteAddress?: string;
  request?: { headers?: Record<string, string | string[] | undefined> };
  once(event: 'close', listener: () => void): unknown;
  close(): unknown;
}

interface EngineServer {
  on(event: 'connection', listener: (conn: EngineConnection) => void): unknown;
}

/**
 * Counts Engine.IO connections per address from the moment the transport opens until they join
 * a namespace (where limitConnections counts them) or close. Without it a client that opens the
 * transport and never sends the namespace connect holds a socket and a file descriptor that no
 * cap sees; past `pendingPerAddress` such connections are closed at once. Socket.IO itself
 * closes one that has not joined within `pendingTimeoutMs` (its connectTimeout).
 */
export function limitPendingConnections(engine: EngineServer, isTrusted: IsTrustedProxy, limits: Config['connectionLimits']) {
  const pending = new Map<string, number>();
  const addressOf = new WeakMap<object, string>();
  const release = (conn: object) => {
    const address = addressOf.get(conn);
    if (address === undefined) return;
    addressOf.delete(conn);
    const n = (pending.get(address) ?? 1) - 1;
    if (n <= 0) pending.delete(address);
    else pending.set(address, n);
  };
  engine.on('connection', (conn) => {
    const forwarded = conn.request?.headers?.['x-forwarded-for'];
    const address = limitedClientAddressOf(
      conn.remoteAddress ?? '',
      Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
      isTrusted,
    );
    const n = pending.get(address) ?? 0;
    if (n >= limits.pendingPerAddress) {
      conn.close();
      return;
    }
    pending.set(address, n + 1);
    addressOf.set(conn, address);
    conn.once('close', () => release(conn));
  });
  return {
    /** The connection joined a namespace: the namespace's caps count it from now on. */
    joined: (conn: object) => release(conn),
    /** For tests and metrics: connections of an address waiting to join. */
    pendingOf: (address: string) => pending.get(address) ?? 0,
  };
}
