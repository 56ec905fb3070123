import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';

/** One gateway's last hold-path report (gateway/waiting-room/hold-path-health.ts publishes them). */
export interface HoldHealthReport {
  instance: string;
  holdP95Ms: number | null;
  dbWaiting: number;
  atMs: number;
}

/** Every gateway's last report from the shared hash; unreadable entries are skipped. */
export async function readHoldHealthReports(deps: { redis: Redis; keys: Keys }): Promise<HoldHealthReport[]> {
  const raw = await deps.redis.hgetall(deps.keys.holdHealth);
  return Object.entries(raw).flatMap(([instance, json]) => {
    try {
      const r = JSON.parse(json) as Omit<HoldHealthReport, 'instance'>;
      if (typeof r.atMs !== 'number' || typeof r.dbWaiting !== 'number') return [];
      return [
        { instance, holdP95Ms: typeof r.holdP95Ms === 'number' ? r.holdP95Ms : null, dbWaiting: r.dbWaiting, atMs: r.atMs },
      ];
    } catch {
      return [];
    }
  });
}
