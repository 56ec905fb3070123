import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll } from 'vitest';
import { freePort, tempDir } from './redis-server.js';

/**
 * A PostgreSQL primary and a synchronous standby of this test file's own, from the Debian
 * server package's binaries (/usr/lib/postgresql/N/bin), on free loopback ports with their data
 * in a temporary folder. As root, the servers run as the `postgres` user (initdb refuses root).
 */
export interface PgPair {
  primaryPort: number;
  standbyPort: number;
  /** Single-host URLs of each server, database `evently`. */
  primaryUrl: string;
  standbyUrl: string;
  /** The libpq multi-host URL naming both, standby first: what the processes get as DATABASE_URL. */
  multiHostUrl: string;
  /** SIGKILL the primary's postmaster and all its backends at once (no clean shutdown, no checkpoint). */
  killPrimary(): Promise<void>;
  /** pg_ctl promote the standby, waiting until it accepts writes. */
  promoteStandby(): Promise<void>;
}

const children = new Set<ChildProcess>();
afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) killGroup(child);
  }
});

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** The newest installed server's bin folder. */
export function pgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0)
    throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)');
  return path.join(root, versions[0] as string, 'bin');
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error('running as root needs a postgres user to run the servers');
  return { uid, gid };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined): string {
  const r = spawnSync(path.join(pgBinDir(), bin), args, { encoding: 'utf8', timeout: 60_000, ...user });
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stdout}${r.stderr}${r.error ?? ''}`);
  return r.stdout;
}

async function waitReady(port: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres', connectionTimeoutMillis: 1000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('SELECT 1');
      await c.end();
      return;
    } catch {
      await c.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres on ${port} did not come up`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

/** One statement as postgres on a server of this file (loopback, trust). */
export async function query<T>(port: number, sql: string, database = 'postgres'): Promise<T[]> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database });
  c.on('error', () => {});
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

function startServer(dataDir: string, user: { uid: number; gid: number } | undefined): ChildProcess {
  // Its own process group: a kill takes the postmaster and every backend at once (a lost machine).
  const child = spawn(path.join(pgBinDir(), 'postgres'), ['-D', dataDir], { stdio: 'ignore', detached: true, ...user });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** A standalone PostgreSQL server (no replication) with an empty database `evently`. */
export interface PgServer {
  port: number;
  url: string;
  /** SIGKILL the postmaster and its backends. */
  kill(): Promise<void>;
}

export async function startPgServer(): Promise<PgServer> {
  const user = runAs();
  const dir = tempDir('pg-one');
  if (user) chownSync(dir, user.uid, user.gid);
  const port = await freePort();
  const dataDir = path.join(dir, 'data');
  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], user);
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    [`listen_addresses = '127.0.0.1'`, `port = ${port}`, `unix_socket_directories = '${dir}'`, 'fsync = off', ''].join('\n'),
  );
  const child = startServer(dataDir, user);
  await waitReady(port);
  await query(port, 'CREATE DATABASE evently');
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/evently`,
    kill: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        killGroup(child);
      }),
  };
}

export async function startPgPair(): Promise<PgPair> {
  const user = runAs();
  const dir = tempDir('pg-pair');
  if (user) chownSync(dir, user.uid, user.gid);
  const [primaryPort, standbyPort] = [await freePort(), await freePort()] as [number, number];
  const primaryDir = path.join(dir, 'primary');
  const standbyDir = path.join(dir, 'standby');
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync', '--locale=C'], user);
  appendFileSync(
    path.join(primaryDir, 'postgresql.conf'),
    [
      "listen_addresses = '127.0.0.1'",
      `port = ${primaryPort}`,
      `unix_socket_directories = '${dir}'`,
      'wal_level = replica',
      'max_wal_senders = 5',
      // Every commit waits until a standby has flushed it: an acknowledged commit survives the
      // primary's loss (synchronous_commit = on, the default).
      "synchronous_standby_names = '*'",
      'max_connections = 200',
      // Durability against a killed process needs no fsync (the OS keeps what was written):
      // this test kills processes, not the machine.
      'fsync = off',
      'full_page_writes = off',
      '',
    ].join('\n'),
  );
  const primary = startServer(primaryDir, user);
  await waitReady(primaryPort);
  // -R: standby.signal and primary_conninfo; the copy of postgresql.conf gets its own port.
  run(
    'pg_basebackup',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      standbyDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ],
    user,
  );
  appendFileSync(path.join(standbyDir, 'postgresql.conf'), `port = ${standbyPort}\nhot_standby = on\n`);
  startServer(standbyDir, user);
  await waitReady(standbyPort);
  const deadline = Date.now() + 30_000;
  while (
    (await query<{ s: string }>(primaryPort, `SELECT sync_state AS s FROM pg_stat_replication`)).every((r) => r.s !== 'sync')
  ) {
    if (Date.now() > deadline) throw new Error('the standby did not become synchronous');
    await new Promise((r) => setTimeout(r, 100));
  }
  await query(primaryPort, 'CREATE DATABASE evently');
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/evently`;
  return {
    primaryPort,
    standbyPort,
    primaryUrl: url(primaryPort),
    standbyUrl: url(standbyPort),
    // The standby first: a process must skip it (in recovery) and find the primary.
    multiHostUrl: `postgres://postgres@127.0.0.1:${standbyPort},127.0.0.1:${primaryPort}/evently`,
    killPrimary: () =>
      new Promise<void>((resolve) => {
        if (primary.exitCode !== null || primary.signalCode !== null) return resolve();
        primary.once('exit', () => resolve());
        killGroup(primary);
      }),
    async promoteStandby() {
      run('pg_ctl', ['promote', '-w', '-t', '60', '-D', standbyDir], user);
      // The copy kept synchronous_standby_names = '*': with no standby left, every commit on the
      // new primary would wait for one forever. An HA manager (Patroni's synchronous_mode without
      // _strict) relaxes it the same way until a new standby attaches.
      await query(standbyPort, `ALTER SYSTEM SET synchronous_standby_names = ''`);
      await query(standbyPort, 'SELECT pg_reload_conf()');
    },
  };
}
