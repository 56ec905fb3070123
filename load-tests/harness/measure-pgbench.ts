import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { findWritableUrl } from '../../core/db/host-locator.js';
import { isPostgresOf, startCpuWindow } from './cpu-accounting.js';
import { adminQuery, databaseUrlFor } from './start-system.js';

const run = promisify(execFile);

export interface PgbenchResult {
  tps: number;
  command: string;
  transactions: number;
  /** Postgres CPU (this database's backends and the shared WAL writer, checkpointer…) per
   * transaction, from /proc accounting around the timed run (cpu-accounting.ts). */
  postgresCpuMsPerTx: number;
  /** The pgbench client's own CPU per transaction. */
  pgbenchCpuMsPerTx: number;
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
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  // pgbench takes one host: the writable one of a multi-host URL.
  const url = new URL(await findWritableUrl(databaseUrlFor(adminUrl, name)));
  const conn = ['-h', url.hostname, '-p', url.port || '5432', '-U', decodeURIComponent(url.username || 'postgres')];
  const env = { ...process.env, ...(url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {}) };
  try {
    await run('pgbench', [...conn, '-i', '-q', '-s', String(o.scale), name], { env });
    const args = ['-N', '-c', String(o.clients), '-j', '2', '-T', String(o.seconds)];
    const cpu = startCpuWindow({ postgres: isPostgresOf(name), pgbench: (p) => p.name === 'pgbench' });
    const { stdout } = await run('pgbench', [...conn, ...args, name], { env, maxBuffer: 10_000_000 });
    const used = cpu.stop();
    const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(stdout) ?? /tps = ([\d.]+)/.exec(stdout);
    const done = /number of transactions actually processed: (\d+)/.exec(stdout);
    if (!m || !done) throw new Error(`cannot read tps from pgbench output:\n${stdout}`);
    const transactions = Number(done[1]);
    const perTx = (ms: number | undefined) => Number(((ms ?? 0) / transactions).toFixed(3));
    return {
      tps: Number(m[1]),
      command: `pgbench -i -s ${o.scale} && pgbench ${args.join(' ')}`,
      transactions,
      postgresCpuMsPerTx: perTx(used.postgres),
      pgbenchCpuMsPerTx: perTx(used.pgbench),
    };
  } finally {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
  }
}
