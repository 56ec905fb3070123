import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A redis-server of this test file's own, on a loopback port nobody else uses. */
export interface RedisServer {
  port: number;
  url: string;
  /** SIGKILL: everything in memory is gone (nothing is saved). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
}

const servers = new Set<ChildProcess>();
const dirs = new Set<string>();
afterAll(async () => {
  await Promise.all([...servers].map((p) => killChild(p)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A TCP port that was free a moment ago (the kernel's choice). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

export function redisCli(port: number, ...args: string[]): string {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 10_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

export async function waitForPing(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!redisCli(port, 'ping').includes('PONG')) {
    if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not answer`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Spawns redis-server without persistence (like compose runs it) on `port`. */
export async function spawnRedisServer(port: number, dir: string, extraArgs: string[] = []): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs],
    { stdio: 'ignore' },
  );
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  await waitForPing(port);
  return child;
}

export function tempDir(tag: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `evently-${tag}-`));
  dirs.add(d);
  return d;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  const dir = tempDir('redis');
  let child = await spawnRedisServer(port, dir);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: () => killChild(child),
    async start() {
      child = await spawnRedisServer(port, dir);
    },
  };
}
