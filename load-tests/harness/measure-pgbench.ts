import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { adminQuery, databaseUrlFor } from './start-system.js';

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  command: string;
}

/**
 * This machine's ceiling for durable single-row commits: `pgbench -N` (no updates of the small
 * branch/teller tables, so no artificial hot rows) against a scratch database, dropped afterwards.
 */
export async function measurePgbench(
  adminUrl: string,
  o: { scale: number; clients: number; seconds: number },
): Promise<PgbenchResult> {
  const name = `evently_pgbench_${process.pid}_${Date.now().toString(36)}`;
  const url = new URL(databaseUrlFor(adminUrl, name));
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  try {
    await run('pgbench', [...conn, '-i', '-q', '-s', String(o.scale), name], { env });
    const args = ['-N', '-c', String(o.clients), '-j', '2', '-T', String(o.seconds)];
    const { stdout } = await run('pgbench', [...conn, ...args, name], { env, maxBuffer: 10_000_000 });
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    if (!m) throw new Error(`cannot read tps from pgbench output:\n${stdout}`);
    return { tps: Number(m[1]), command: `pgbench -i -s ${o.scale} && pgbench ${args.join(' ')}` };
  } finally {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  }
}
