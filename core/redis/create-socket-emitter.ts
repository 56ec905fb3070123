import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { Emitter } from '@socket.io/redis-emitter';
import { Server } from 'socket.io';
import { duplicateRedis, type Redis } from './connect-redis.js';

export type SocketAdapterKind = 'sharded' | 'pubsub';

/** What workers need to reach sockets on every gateway instance. */
export interface SocketEmitter {
  to(room: string): { emit(event: string, payload: unknown): void };
  of(nsp: string): { to(room: string): { emit(event: string, payload: unknown): void } };
  close(): Promise<void>;
}

/**
 * With the classic pub/sub adapter this is @socket.io/redis-emitter. The emitter only speaks
 * PUBLISH in the classic format, which a sharded adapter (SSUBSCRIBE, cluster message format)
 * never hears; there a headless Socket.IO server carrying the same sharded adapter does the
 * broadcasting: it owns no sockets, so every emit goes to the other instances.
 */
export function createSocketEmitter(kind: SocketAdapterKind, redis: Redis, channelPrefix: string): SocketEmitter {
  if (kind === 'pubsub') {
    const emitter = new Emitter(redis, { key: channelPrefix });
    return { to: (room) => emitter.to(room), of: (nsp) => emitter.of(nsp), close: async () => {} };
  }
  const sub = duplicateRedis(redis);
  const io = new Server({ adapter: createShardedAdapter(redis, sub, { channelPrefix }) as never });
  const used = new Set(['/']);
  return {
    to: (room) => io.to(room),
    of: (nsp) => {
      used.add(nsp);
      return io.of(nsp);
    },
    close: async () => {
      // io.close() would also close an HTTP engine this headless server never had.
      await Promise.all([...used].map((nsp) => io.of(nsp).adapter.close()));
      sub.disconnect();
    },
  };
}

export function createGatewayAdapter(kind: SocketAdapterKind, pub: Redis, sub: Redis, channelPrefix: string) {
  return kind === 'sharded'
    ? createShardedAdapter(pub, sub, { channelPrefix, subscriptionMode: 'dynamic' })
    : createAdapter(pub, sub, { key: channelPrefix });
}
