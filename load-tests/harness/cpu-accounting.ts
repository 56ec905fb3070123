import { readdirSync, readFileSync } from 'node:fs';

/** A process as /proc shows it: its command name and, for Postgres, its title (database, role). */
export interface ProcInfo {
  pid: number;
  name: string;
  title: string;
}

/** Which processes make up one kind (gateways, this database's Postgres backends, Redis…). */
export type ProcKinds = Record<string, (p: ProcInfo) => boolean>;

/** How often processes are read during a window: a process that exits takes its time with it, so
 * its last reading is at most this old (pgbench's backends exit with pgbench). */
const SAMPLE_MS = 100;
/** Linux clock ticks of /proc/PID/stat utime and stime: 100 per second. */
const MS_PER_TICK = 10;

function readProc(pid: number, titles: Map<number, string>): { name: string; cpuMs: number; title: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuMs = (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
    let title = titles.get(pid);
    if (title === undefined) {
      // Postgres writes its title over argv: `postgres: 15/main: user db 127.0.0.1(5432) idle`.
      title = name === 'postgres' ? readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim() : '';
      titles.set(pid, title);
    }
    return { name, cpuMs, title };
  } catch {
    return null; // gone meanwhile
  }
}

/**
 * CPU time (utime + stime, /proc accounting) each kind of process used between start and stop,
 * in ms. Processes are read every SAMPLE_MS, so one that starts during the window counts from
 * zero and one that exits counts up to its last reading.
 */
export function startCpuWindow(kinds: ProcKinds) {
  const titles = new Map<number, string>();
  const first = new Map<number, number>();
  const last = new Map<number, { kind: string; cpuMs: number }>();
  const scan = (baseline: boolean) => {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const p = readProc(pid, titles);
      if (!p) continue;
      const info = { pid, name: p.name, title: p.title };
      const kind = Object.keys(kinds).find((k) => kinds[k]?.(info));
      if (!kind) continue;
      if (!first.has(pid)) first.set(pid, baseline ? p.cpuMs : 0);
      last.set(pid, { kind, cpuMs: p.cpuMs });
    }
  };
  scan(true);
  const timer = setInterval(() => scan(false), SAMPLE_MS);
  return {
    /** CPU ms per kind since start (every kind present, 0 when none of its processes ran). */
    stop(): Record<string, number> {
      clearInterval(timer);
      scan(false);
      const totals: Record<string, number> = Object.fromEntries(Object.keys(kinds).map((k) => [k, 0]));
      for (const [pid, { kind, cpuMs }] of last) totals[kind] = (totals[kind] ?? 0) + cpuMs - (first.get(pid) ?? 0);
      return totals;
    },
  };
}

/** Postgres's own processes that every database's commits use (WAL writer, checkpointer…). */
const POSTGRES_SHARED =
  /: (walwriter|checkpointer|background writer|autovacuum launcher|logical replication launcher|stats collector)\s*$/;

/**
 * The Postgres processes that serve one database: its backends (their title names it) and the
 * shared writers every commit uses. Other databases' backends (other test runs) are left out.
 */
export function isPostgresOf(database: string): (p: ProcInfo) => boolean {
  const backend = new RegExp(`: \\S+ ${database} `);
  return (p) => p.name === 'postgres' && (backend.test(p.title) || POSTGRES_SHARED.test(p.title));
}

export const isRedis = (p: ProcInfo) => p.name === 'redis-server';

export const isOneOf =
  (pids: readonly number[]) =>
  (p: ProcInfo): boolean =>
    pids.includes(p.pid);
