import { readFileSync } from 'node:fs';

/** CPU time (user + system) a process has used so far, in ms (Linux /proc; 10 ms ticks). */
export function readCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
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
