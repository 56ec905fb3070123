import type { Socket } from 'node:net';
import { Cluster, type Redis as RedisClient } from 'ioredis';

/**
 * Sends everything a connection is asked in one turn of the event loop as one write.
 *
 * ioredis writes each command (or pipeline) to its socket at once, and each write is a system
 * call that, on loopback, also runs the receiver's side of TCP. A gateway answers hundreds of
 * socket messages per turn under load, each with its own few commands (rate limits, the
 * admission check, Redlock): one write per command was the largest single item in its profile.
 * Corking the socket at the first write of a turn and uncorking it when the turn's I/O callbacks
 * are done (setImmediate runs right after them) hands the kernel one writev instead. Order is
 * kept (one socket, one buffer); the wait added is the rest of the current turn.
 */
export function coalesceWrites(redis: RedisClient | Cluster): void {
  if (redis instanceof Cluster) {
    // A cluster: every node connection it opens, now and after a topology change.
    redis.on('+node', (node: RedisClient) => coalesceClientWrites(node));
    return;
  }
  coalesceClientWrites(redis);
}

function coalesceClientWrites(client: RedisClient): void {
  // A reconnect opens a new socket: wrap each one when it connects, before any command uses it.
  client.on('connect', () => {
    const stream = (client as unknown as { stream?: Socket }).stream;
    if (stream) corkPerTurn(stream);
  });
}

function corkPerTurn(stream: Socket): void {
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  const write = stream.write;
  stream.write = function coalescedWrite(this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked && !stream.destroyed) {
      corked = true;
      stream.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
