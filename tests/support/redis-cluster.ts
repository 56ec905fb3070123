import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { freePort, redisCli, spawnRedisServer, tempDir } from './redis-server.js';

export interface RedisClusterHandle {
  ports: number[];
  /** The value for REDIS_CLUSTER_NODES. */
  nodes: string;
}

/**
 * A local Redis Cluster of `masters` masters and no replicas on loopback ports nobody else
 * uses, for this test file: the processes are killed and their directories removed after it.
 */
export async function startRedisCluster(masters = 3): Promise<RedisClusterHandle> {
  const ports: number[] = [];
  while (ports.length < masters) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  const dir = tempDir('redis-cluster');
  await Promise.all(
    ports.map((port) =>
      spawnRedisServer(port, dir, [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        path.join(dir, `nodes-${port}.conf`),
        '--cluster-node-timeout',
        '5000',
      ]),
    ),
  );
  const created = spawnSync(
    'redis-cli',
    ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (created.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${created.stdout}\n${created.stderr}`);
  // Every node must agree the slots are covered before clients connect.
  const deadline = Date.now() + 30_000;
  while (!ports.every((p) => redisCli(p, 'cluster', 'info').includes('cluster_state:ok'))) {
    if (Date.now() > deadline) throw new Error('the Redis Cluster did not reach cluster_state:ok');
    await new Promise((r) => setTimeout(r, 100));
  }
  return { ports, nodes: ports.map((p) => `127.0.0.1:${p}`).join(',') };
}
