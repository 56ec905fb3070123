import type { Socket } from 'node:net';
import { Cluster, type Redis as RedisClient } from 'ioredis';

/**
 * Sends everything a connection is asked in one turn of the event loop as one write.
 *
 * ioredis writes each command (or pipeline) to its socket at once, and each write is a system
 * call that, on loopback, also runs the receiver's side of TCP. A gateway answers hundreds of
 * socket messages per turn under load, each with its own few commands (rate limits, the
 * admission check, Redlock): a write per command costs more than any other single item on that path.
 * Corking the socket at the first write of a turn and uncorking it when the turn's I/O callbacks
 * are done (setImmediate runs right after them) hands the kernel one writev instead. Order is
 * kept (one socket, one buffer); the wait added is the rest of the current turn.
 *
 * What is held back must still leave before the process answers a client (`flushCorkedWrites`,
 * called before every socket ack): a seat change published after a commit is on its way to the
 * other gateways before the buyer hears "held", as it was with one write per command. Otherwise
 * a gateway killed right after an ack could take the change with it, and another gateway would
 * show the seat free until its repair pass.
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

/** Sockets holding writes back right now, each with what sends them. */
const corked = new Map<Socket, () => void>();

/** Sends every write held back so far, now (before answering a client). */
export function flushCorkedWrites(): void {
  for (const uncork of corked.values()) uncork();
}

function corkPerTurn(stream: Socket): void {
  const uncork = () => {
    if (!corked.delete(stream)) return;
    stream.uncork();
  };
  const write = stream.write;
  stream.write = function coalescedWrite(this: Socket, ...args: Parameters<Socket['write']>) {
    if (!corked.has(stream) && !stream.destroyed) {
      corked.set(stream, uncork);
      stream.cork();
      setImmediate(uncork);
    }
    return write.apply(this, args);
  } as Socket['write'];
}
