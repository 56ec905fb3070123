import { isRedisCluster, type Redis } from './connect-redis.js';

/**
 * Removes every key under a prefix (tests and benchmarks cleaning up their own namespace). On a
 * Redis Cluster every master is scanned, and keys are removed one by one (one UNLINK may not
 * span slots).
 */
export async function deleteKeysWithPrefix(redis: Redis, prefix: string): Promise<void> {
  if (!isRedisCluster(redis)) return deleteOnNode(redis, prefix, (keys) => redis.unlink(...keys));
  for (const node of redis.nodes('master')) {
    await deleteOnNode(node, prefix, (keys) => Promise.all(keys.map((k) => redis.unlink(k))));
  }
}

async function deleteOnNode(node: Redis, prefix: string, remove: (keys: string[]) => Promise<unknown>): Promise<void> {
  let cursor = '0';
  do {
    // REDIS_PREFIX allows no glob characters; escaping keeps any other caller's prefix literal.
    const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await remove(keys);
  } while (cursor !== '0');
}
