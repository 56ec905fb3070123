import { Cluster, type ClusterOptions, Redis as RedisClient, type RedisOptions } from 'ioredis';
import { coalesceWrites } from './coalesce-writes.js';
import type { RedisTarget } from './redis-target.js';

/** A connection to a single Redis or to a Redis Cluster: use only commands both offer. */
export type Redis = RedisClient | Cluster;

/**
 * - `command`: request/reply traffic (use cases, Redlock, rate limits, BullMQ queues). Bounded:
 *   while Redis is away a command fails at once (no offline queue), and one that gets no answer
 *   fails after `commandTimeoutMs`; the caller answers a retryable error instead of hanging.
 * - `stream`: pub/sub and BullMQ workers' blocking reads. Never gives up: commands wait for the
 *   reconnect (BullMQ requires it, and an adapter's subscribe or publish must not reject into
 *   an unhandled rejection); subscriptions are restored on reconnect.
 */
export type RedisRole = 'command' | 'stream';

export interface ConnectOptions {
  role?: RedisRole;
  /** Extra ioredis options (scripts and tests: lazyConnect, retryStrategy, ...). */
  extra?: RedisOptions;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 2000;

function roleOptions(role: RedisRole, commandTimeoutMs: number): RedisOptions {
  return role === 'command'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: commandTimeoutMs }
    : { enableOfflineQueue: true, maxRetriesPerRequest: null };
}

/** Opens a connection of the given role to a URL or a target from the config. */
export function connectRedis(target: RedisTarget | string, options: ConnectOptions = {}): Redis {
  const t: RedisTarget = typeof target === 'string' ? { kind: 'single', url: target } : target;
  const role = options.role ?? 'command';
  const base: RedisOptions = {
    enableReadyCheck: true,
    // A reconnect every 50 ms .. 1 s: Redis back after a restart is in use again within a second.
    retryStrategy: (times) => Math.min(50 * times, 1000),
    ...roleOptions(role, t.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS),
    ...options.extra,
  };
  let redis: Redis;
  if (t.kind === 'single') {
    redis = new RedisClient(t.url, base);
  } else if (t.kind === 'sentinel') {
    redis = new RedisClient({
      ...base,
      sentinels: t.sentinels.map((n) => ({ host: n.host, port: n.port })),
      name: t.name,
      role: 'master',
      username: t.username,
      password: t.password,
      sentinelPassword: t.sentinelPassword,
      ...(t.tls ? { tls: {}, enableTLSForSentinelMode: true } : {}),
      // Ask the Sentinels again every 50 ms .. 1 s while none names a reachable master.
      sentinelRetryStrategy: (times) => Math.min(50 * times, 1000),
      // No failover detector (ioredis's default): its subscription outlives a master that died,
      // and the +switch-master it then hears stops a reconnect already under way, which ends the
      // connection for good ("Connection is closed." on every command; seen in the Sentinel chaos
      // test under load). A dead master closes the socket and the reconnect asks the Sentinels.
      // A master demoted under us (it came back as a replica) refuses writes: reconnect, and the
      // Sentinels name the new master. The refused command fails (retryable) rather than resent.
      reconnectOnError: (err) => (err.message.startsWith('READONLY') ? 1 : false),
    });
  } else {
    // Node connections reconnect under the cluster's own strategy.
    const { enableOfflineQueue, retryStrategy: _perNode, ...nodeOptions } = base;
    const clusterOptions: ClusterOptions = {
      enableOfflineQueue,
      enableReadyCheck: true,
      clusterRetryStrategy: (times) => Math.min(100 * times, 2000),
      // Sharded pub/sub (SSUBSCRIBE) must talk to the node owning each channel's slot.
      shardedSubscribers: role === 'stream',
      redisOptions: {
        ...nodeOptions,
        username: t.username,
        password: t.password,
        ...(t.tls ? { tls: {} } : {}),
      },
    };
    redis = new Cluster(
      t.nodes.map((n) => ({ host: n.host, port: n.port })),
      clusterOptions,
    );
  }
  if (role === 'command') {
    // Commands sent before the very first connection wait for it (bounded by the command
    // timeout): callers need not await readiness. From then on, none wait for a reconnect.
    redis.options.enableOfflineQueue = true;
    redis.once('ready', () => {
      redis.options.enableOfflineQueue = false;
    });
  }
  if (t.coalesceWrites !== false) coalesceWrites(redis);
  // ioredis retries on its own; an 'error' without a listener would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** A second connection to the same place with the same role (ioredis duplicate keeps options). */
export function duplicateRedis(redis: Redis): Redis {
  const copy: Redis = redis instanceof Cluster ? redis.duplicate() : redis.duplicate();
  copy.on('error', () => {});
  return copy;
}

export function isRedisCluster(redis: Redis): redis is Cluster {
  return redis instanceof Cluster;
}

/**
 * Resolves when the connection is ready; rejects after `timeoutMs` (start-up: no silent
 * fallback when Redis is unreachable).
 */
export async function whenRedisReady(redis: Redis, timeoutMs: number, what = 'Redis'): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`${what} not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
