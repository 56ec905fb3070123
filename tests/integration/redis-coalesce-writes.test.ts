import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Redis as RedisClient } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { flushCorkedWrites } from '../../core/redis/coalesce-writes.js';
import { connectRedis, type Redis, whenRedisReady } from '../../core/redis/connect-redis.js';
import { startRedisCluster } from '../support/redis-cluster.js';
import { testRedisUrl } from '../support/services.js';
import { waitUntil } from '../support/wait-until.js';

const opened: Redis[] = [];
afterAll(() => {
  for (const r of opened) r.disconnect();
});

/** Counts the socket-level writes (one per syscall batch) a connection's current socket makes. */
function countWrites(client: RedisClient): { readonly n: number } {
  type Write = (...args: unknown[]) => unknown;
  const stream = (client as unknown as { stream: Socket & { _write: Write; _writev: Write } }).stream;
  const counter = { n: 0 };
  for (const name of ['_write', '_writev'] as const) {
    const original = stream[name];
    stream[name] = function (this: unknown, ...args: unknown[]) {
      counter.n += 1;
      return original.apply(this, args);
    };
  }
  return counter;
}

async function connected(coalesceWrites: boolean): Promise<RedisClient> {
  const redis = connectRedis({ kind: 'single', url: testRedisUrl(), coalesceWrites }) as RedisClient;
  opened.push(redis);
  await whenRedisReady(redis, 5000);
  return redis;
}

/** 50 separate commands (no pipeline) issued in one turn, as 50 socket messages' handlers would. */
async function fiftyInOneTurn(redis: Redis, prefix: string): Promise<(string | null)[]> {
  const sets = Array.from({ length: 50 }, (_, i) => redis.set(`${prefix}:${i}`, String(i), 'EX', 60));
  const gets = Array.from({ length: 50 }, (_, i) => redis.get(`${prefix}:${i}`));
  await Promise.all(sets);
  return Promise.all(gets);
}

describe('Redis writes coalesced per event-loop turn', () => {
  it('sends the commands of one turn in one write, in order, each with its own reply', async () => {
    const redis = await connected(true);
    const writes = countWrites(redis);
    const replies = await fiftyInOneTurn(redis, `coalesce:${randomUUID()}`);
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(writes.n).toBe(1);
  });

  it('without it every command is its own write (the check above can fail)', async () => {
    const redis = await connected(false);
    const writes = countWrites(redis);
    await fiftyInOneTurn(redis, `coalesce:${randomUUID()}`);
    expect(writes.n).toBe(100);
  });

  it('sends what a turn held back at once when asked (before a socket ack), and keeps coalescing after', async () => {
    const redis = await connected(true);
    const writes = countWrites(redis);
    const channel = `coalesce:${randomUUID()}`;
    const published = Array.from({ length: 10 }, (_, i) => redis.publish(channel, String(i)));
    expect(writes.n).toBe(0);
    flushCorkedWrites();
    expect(writes.n).toBe(1);
    // Later writes of the same turn are held again, and leave at its end.
    const more = Array.from({ length: 10 }, (_, i) => redis.publish(channel, String(i)));
    expect(writes.n).toBe(1);
    await Promise.all([...published, ...more]);
    expect(writes.n).toBe(2);
  });

  it('keeps coalescing on the socket of a reconnect', async () => {
    const redis = await connected(true);
    const id = await redis.client('ID');
    const killer = await connected(false);
    await killer.client('KILL', 'ID', String(id));
    await waitUntil('the reconnect', async () => {
      const now = redis.status === 'ready' ? await redis.client('ID').catch(() => null) : null;
      return now !== null && now !== id;
    });
    const writes = countWrites(redis);
    const replies = await fiftyInOneTurn(redis, `coalesce:${randomUUID()}`);
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    expect(writes.n).toBe(1);
  });

  it('on a Redis Cluster, one write per node connection per turn', async () => {
    const cluster = await startRedisCluster(3);
    const redis = connectRedis({
      kind: 'cluster',
      nodes: cluster.ports.map((port) => ({ host: '127.0.0.1', port })),
      tls: false,
    });
    opened.push(redis);
    await whenRedisReady(redis, 15_000, 'Redis Cluster');
    const prefix = `coalesce:${randomUUID()}`;
    // Warm every node connection (the cluster connects to nodes lazily).
    await fiftyInOneTurn(redis, prefix);
    const nodes = (redis as unknown as { nodes(): RedisClient[] }).nodes();
    expect(nodes.length).toBe(3);
    const writes = nodes.map((n) => countWrites(n));
    const replies = await fiftyInOneTurn(redis, prefix);
    expect(replies).toEqual(Array.from({ length: 50 }, (_, i) => String(i)));
    for (const w of writes) expect(w.n).toBe(1);
  });
});
