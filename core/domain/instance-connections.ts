/**
 * Each gateway writes `count:heartbeatMs` under its instance id in one Redis hash. Hash fields
 * cannot expire on Redis 7.0, so readers skip (and delete) entries whose heartbeat is too old:
 * a killed gateway stops counting after `staleAfterMs`.
 */
export function encodeConnectionEntry(count: number, nowMs: number): string {
  return `${count}:${nowMs}`;
}

export interface LiveConnections {
  total: number;
  byInstance: Record<string, number>;
  /** Instances whose last heartbeat is older than the limit (or unreadable). */
  stale: string[];
}

export function liveConnections(entries: Readonly<Record<string, string>>, nowMs: number, staleAfterMs: number): LiveConnections {
  const byInstance: Record<string, number> = {};
  const stale: string[] = [];
  let total = 0;
  for (const [instance, raw] of Object.entries(entries)) {
    const [count, at] = raw.split(':').map(Number);
    if (!Number.isInteger(count) || !Number.isFinite(at) || (count as number) < 0 || nowMs - (at as number) > staleAfterMs) {
      stale.push(instance);
      continue;
    }
    byInstance[instance] = count as number;
    total += count as number;
  }
  return { total, byInstance, stale };
}
