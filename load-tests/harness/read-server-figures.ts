import { readdirSync, readFileSync } from 'node:fs';

/** CPU time in the kernel (system) a process has used so far, in ms (Linux /proc; 10 ms ticks). */
export function readSystemCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return Number(fields[12]) * 10;
  } catch {
    return Number.NaN;
  }
}

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; 10 ms ticks). */
export function readCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/**
 * Write system calls (write, writev) a process has made so far (Linux /proc/PID/io `syscw`): a
 * count, not a time, so it does not drift with the machine's speed. Every socket write to Redis
 * or Postgres is one; uWebSockets' writes to clients are `send` calls, which it does not count.
 * NaN when unreadable.
 */
export function readWriteSyscalls(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/io`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('syscw:'));
    return line ? Number(line.slice('syscw:'.length)) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * CPU time (ms) used so far by every live process whose name is one of `names` (e.g. `postgres`,
 * `redis-server`): the stores' share of a run, read before and after it. A process that exits in
 * between takes its time with it (the pool's backends live through a burst).
 */
export function readCpuMsByName(names: readonly string[]): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      if (!names.includes(name)) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      total += (Number(fields[11]) + Number(fields[12])) * 10;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** CPU time (ms) the whole machine has been busy so far, all cores (Linux /proc/stat). */
export function readMachineBusyMs(): number {
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const n = ticks.map(Number);
  const idle = (n[3] ?? 0) + (n[4] ?? 0);
  return (n.slice(0, 8).reduce((a, b) => a + b, 0) - idle) * 10;
}

/** Context switches the whole machine has made so far (Linux /proc/stat `ctxt`): a count. */
export function readMachineContextSwitches(): number {
  const line = readFileSync('/proc/stat', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ctxt '));
  return line ? Number(line.slice('ctxt '.length)) : Number.NaN;
}

/** A Prometheus histogram merged over gateways: cumulative counts by upper bound (seconds). */
export type Buckets = Map<number, number>;

/** `evently_ack_latency_seconds` buckets per command, from one gateway's /metrics text. */
export function parseAckBuckets(text: string): Map<string, Buckets> {
  const out = new Map<string, Buckets>();
  for (const m of text.matchAll(/^evently_ack_latency_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const command = /command="([^"]+)"/.exec(m[1] ?? '')?.[1];
    const le = /le="([^"]+)"/.exec(m[1] ?? '')?.[1];
    if (!command || !le) continue;
    const buckets = out.get(command) ?? new Map<number, number>();
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(m[2]));
    out.set(command, buckets);
  }
  return out;
}

/** The smallest bucket bound (ms) that holds at least p % of the observations: an upper bound. */
export function bucketPercentileMs(buckets: Buckets, p: number): number {
  const bounds = [...buckets.keys()].sort((a, b) => a - b);
  const total = buckets.get(Number.POSITIVE_INFINITY) ?? 0;
  for (const b of bounds) if ((buckets.get(b) ?? 0) >= (p / 100) * total) return b * 1000;
  return Number.NaN;
}

export interface ServerAck {
  count: number;
  /** Upper bounds from the gateways' histogram buckets, in ms. */
  p50: number;
  p95: number;
  p99: number;
}

/** Gateway-side ack latency (receipt to ack) per command, summed over gateways. */
export async function readServerAcks(urls: readonly string[], metricsToken: string): Promise<Record<string, ServerAck>> {
  const merged = new Map<string, Buckets>();
  for (const url of urls) {
    const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
    for (const [command, buckets] of parseAckBuckets(text)) {
      const into = merged.get(command) ?? new Map<number, number>();
      for (const [b, n] of buckets) into.set(b, (into.get(b) ?? 0) + n);
      merged.set(command, into);
    }
  }
  return Object.fromEntries(
    [...merged].map(([command, b]) => [
      command,
      {
        count: b.get(Number.POSITIVE_INFINITY) ?? 0,
        p50: bucketPercentileMs(b, 50),
        p95: bucketPercentileMs(b, 95),
        p99: bucketPercentileMs(b, 99),
      },
    ]),
  );
}
