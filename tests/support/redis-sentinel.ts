import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll } from 'vitest';
import { freePort, redisCli, spawnRedisServer, tempDir, waitForPing } from './redis-server.js';

/**
 * A Redis master, one replica and three Sentinels (quorum 2) of this test file's own, from
 * Debian's redis-server binary (`redis-server --sentinel` is what the redis-sentinel package
 * runs), on free loopback ports, nothing persisted.
 */
export interface SentinelGroup {
  name: string;
  masterPort: number;
  replicaPort: number;
  sentinelPorts: number[];
  /** REDIS_SENTINELS for the processes. */
  sentinels: string;
  /** Blocks until the replica has every write the master took (WAIT), or throws. */
  syncReplica(): void;
  /** SIGKILL the master: what it had not sent to the replica is gone. */
  killMaster(): Promise<void>;
  /** The port the Sentinels name as master now. */
  masterNow(): number | null;
}

const sentinelChildren = new Set<ChildProcess>();
afterAll(() => {
  for (const c of sentinelChildren) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

export async function startSentinelGroup(name = 'evently'): Promise<SentinelGroup> {
  const dir = tempDir('sentinel');
  const [masterPort, replicaPort] = [await freePort(), await freePort()] as [number, number];
  const master = await spawnRedisServer(masterPort, dir, ['--dbfilename', 'master.rdb']);
  await spawnRedisServer(replicaPort, dir, ['--replicaof', '127.0.0.1', String(masterPort), '--dbfilename', 'replica.rdb']);
  const deadline = Date.now() + 20_000;
  while (!redisCli(replicaPort, 'info', 'replication').includes('master_link_status:up')) {
    if (Date.now() > deadline) throw new Error('the replica did not sync');
    await new Promise((r) => setTimeout(r, 100));
  }
  const sentinelPorts: number[] = [];
  for (let i = 0; i < 3; i++) {
    const port = await freePort();
    const conf = path.join(dir, `sentinel-${port}.conf`);
    writeFileSync(
      conf,
      [
        `port ${port}`,
        'bind 127.0.0.1',
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${masterPort} 2`,
        // Down after 1 s without an answer; a failed failover is retried after 3 s.
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 3000`,
        `sentinel parallel-syncs ${name} 1`,
        '',
      ].join('\n'),
    );
    const child = spawn('redis-server', [conf, '--sentinel'], { stdio: 'ignore' });
    sentinelChildren.add(child);
    child.once('exit', () => sentinelChildren.delete(child));
    await waitForPing(port);
    sentinelPorts.push(port);
  }
  // Every Sentinel has found the replica and the other Sentinels (a failover needs both).
  const ready = () =>
    sentinelPorts.every((p) => {
      const out = redisCli(p, 'sentinel', 'master', name);
      const field = (k: string) => Number(new RegExp(`${k}\\s+(\\d+)`).exec(out)?.[1] ?? -1);
      return field('num-slaves') >= 1 && field('num-other-sentinels') >= 2;
    });
  while (!ready()) {
    if (Date.now() > deadline + 20_000) throw new Error('the Sentinels did not see each other and the replica');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    name,
    masterPort,
    replicaPort,
    sentinelPorts,
    sentinels: sentinelPorts.map((p) => `127.0.0.1:${p}`).join(','),
    syncReplica() {
      const acked = Number(redisCli(masterPort, 'wait', '1', '5000').trim());
      if (acked < 1) throw new Error('the replica did not acknowledge the writes');
    },
    killMaster: () =>
      new Promise<void>((resolve) => {
        if (master.exitCode !== null || master.signalCode !== null) return resolve();
        master.once('exit', () => resolve());
        master.kill('SIGKILL');
      }),
    masterNow() {
      const out = redisCli(sentinelPorts[0] as number, 'sentinel', 'get-master-addr-by-name', name)
        .trim()
        .split('\n');
      const port = Number(out[1]);
      return Number.isInteger(port) && port > 0 ? port : null;
    },
  };
}
