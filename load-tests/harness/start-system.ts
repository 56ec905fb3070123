import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { findWritableUrl } from '../../core/db/host-locator.js';
import { migrate } from '../../core/db/migrate.js';
import { connectRedis } from '../../core/redis/connect-redis.js';
import { deleteKeysWithPrefix } from '../../core/redis/delete-keys-with-prefix.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface SystemProcess {
  role: 'gateway' | 'worker';
  pid: number;
  url: string;
  child: ChildProcess;
  /** The last lines it wrote (warnings and errors at the bench's log level). */
  tail(): string;
}

export interface BenchSystem {
  id: string;
  databaseUrl: string;
  env: Record<string, string>;
  /** Where clients connect: every gateway, or the queue tier's when tiered. */
  gateways: SystemProcess[];
  /** The shop tier when tiered (one gateway, named by SHOP_URL in every admission), else empty. */
  shopGateways: SystemProcess[];
  workers: SystemProcess[];
  /** SIGTERM every process and wait for them to exit. */
  stopProcesses(): Promise<void>;
  /** Drops the database and the Redis keys of this run. */
  cleanUp(): Promise<void>;
}

export interface SystemOptions {
  adminDatabaseUrl: string;
  redisUrl: string;
  gateways: number;
  workers: number;
  pgPoolSize: number;
  admin: { email: string; password: string };
  /** Extra environment for every process (TTLs, admission defaults). */
  env: Record<string, string>;
  /**
   * Two tiers: the `gateways` serve the queue tier (GATEWAY_ROLE=queue) at this niceness, and
   * one more gateway the shop tier (GATEWAY_ROLE=shop), as one machine should run them.
   */
  tiered?: { queueNice: number };
}

/**
 * Environment that makes a spawned process write a V8 CPU profile into `dir` when it exits
 * (scripts/cpu-profile.mjs; `--cpu-prof` itself is refused in NODE_OPTIONS). Empty without a dir.
 */
export function cpuProfileEnv(dir: string | undefined): Record<string, string> {
  if (!dir) return {};
  return { NODE_OPTIONS: `--import ${path.join(ROOT, 'scripts/cpu-profile.mjs')}`, CPU_PROFILE_DIR: path.resolve(dir) };
}

/** The admin URL with another database; it may name several hosts (libpq syntax), kept as written. */
export function databaseUrlFor(adminUrl: string, name: string): string {
  const m = /^([a-z]+:\/\/[^/?#]*)(?:\/[^?#]*)?(.*)$/i.exec(adminUrl);
  if (!m) throw new Error('BENCH_DATABASE_URL must be a postgres:// URL');
  return `${m[1]}/${encodeURIComponent(name)}${m[2]}`;
}

export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  // Several hosts: the one that accepts writes.
  const c = new pg.Client({ connectionString: await findWritableUrl(adminUrl) });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Resident set size of a process in KiB (Linux), or null when it is gone. */
export function readRssKiB(pid: number): number | null {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function startEntry(entry: string, role: SystemProcess['role'], env: Record<string, string>, nice = 0): Promise<SystemProcess> {
  const argv = [process.execPath, '--import', 'tsx', entry];
  // `nice` execs the program: the pid is the program's, its CPU is read as usual.
  const [command, ...args] = nice > 0 ? ['nice', '-n', String(nice), ...argv] : argv;
  const child = spawn(command as string, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: string) => {
    out += d;
    if (out.length > 50_000) out = out.slice(-20_000);
  };
  child.stderr?.on('data', keep);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${entry} not ready in 60 s:\n${out}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${out}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{"msg":"ready"')) return keep(`${line}\n`);
      clearTimeout(timer);
      const port = (JSON.parse(line) as { port?: number }).port ?? 0;
      resolve({ role, pid: child.pid as number, url: `http://127.0.0.1:${port}`, child, tail: () => out });
    });
  });
}

function stop(p: SystemProcess): Promise<void> {
  const { child } = p;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * A fresh Evently for one bench run: its own database (migrated once, before the gateways start),
 * its own Redis prefix and secrets, N gateway and M worker processes on ephemeral ports.
 */
export async function startSystem(o: SystemOptions): Promise<BenchSystem> {
  const id = randomBytes(4).toString('hex');
  const database = `evently_bench_${id}`;
  await adminQuery(o.adminDatabaseUrl, `CREATE DATABASE ${database}`);
  const databaseUrl = databaseUrlFor(o.adminDatabaseUrl, database);
  const redisPrefix = `bench:${id}:`;
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    REDIS_URL: o.redisUrl,
    REDIS_PREFIX: redisPrefix,
    PG_POOL_SIZE: String(o.pgPoolSize),
    JWT_ACCESS_SECRET: randomBytes(32).toString('hex'),
    ADMISSION_TOKEN_SECRET: randomBytes(32).toString('hex'),
    // /metrics on the API port needs a bearer token; the harness reads it with this one.
    METRICS_TOKEN: randomBytes(24).toString('hex'),
    // Every simulated buyer connects from 127.0.0.1: per-address allowances would make them one
    // client. Per-socket and per-user limits stay at their defaults (each buyer is one of those).
    ADDRESS_COMMANDS_PER_SECOND: '10000000',
    MAX_ANONYMOUS_SOCKETS_PER_ADDRESS: '1000000',
    MAX_PENDING_CONNECTIONS_PER_ADDRESS: '1000000',
    REGISTER_MAX_PER_ADDRESS: '1000000',
    ADMIN_EMAIL: o.admin.email,
    ADMIN_PASSWORD: o.admin.password,
    SHUTDOWN_DEADLINE_MS: '5000',
    ...o.env,
  };
  const started: SystemProcess[] = [];
  const system: BenchSystem = {
    id,
    databaseUrl,
    env,
    gateways: [],
    shopGateways: [],
    workers: [],
    stopProcesses: async () => {
      await Promise.all(started.map(stop));
    },
    cleanUp: async () => {
      await adminQuery(o.adminDatabaseUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
      const redis = connectRedis(o.redisUrl);
      try {
        await deleteKeysWithPrefix(redis, redisPrefix);
      } finally {
        redis.disconnect();
      }
    },
  };
  try {
    await migrate(databaseUrl);
    if (o.tiered) {
      const shop = await startEntry('gateway/main.ts', 'gateway', { ...env, GATEWAY_ROLE: 'shop', INSTANCE_ID: 'bench-shop-1' });
      started.push(shop);
      system.shopGateways.push(shop);
      Object.assign(env, { SHOP_URL: shop.url });
    }
    for (let i = 0; i < o.gateways; i++) {
      const g = await startEntry(
        'gateway/main.ts',
        'gateway',
        { ...env, ...(o.tiered ? { GATEWAY_ROLE: 'queue' } : {}), INSTANCE_ID: `bench-gateway-${i + 1}` },
        o.tiered?.queueNice ?? 0,
      );
      started.push(g);
      system.gateways.push(g);
    }
    for (let i = 0; i < o.workers; i++) {
      const w = await startEntry('workers/main.ts', 'worker', { ...env, INSTANCE_ID: `bench-worker-${i + 1}` });
      started.push(w);
      system.workers.push(w);
    }
  } catch (err) {
    await system.stopProcesses();
    await system.cleanUp();
    throw err;
  }
  return system;
}
