import type { QueueHealthReply } from '../../contract/console.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { readHoldHealthReports } from './read-hold-health-reports.js';
import { combineHealth, FRESH_MS } from './steer-admission.js';

/** The console's view of what steers admissions: each gateway's hold p95 and database queue. */
export async function getQueueHealth(
  deps: { redis: Redis; keys: Keys },
  nowMs: number,
  dbQueueMax: number,
): Promise<QueueHealthReply> {
  const reports = await readHoldHealthReports(deps);
  const combined = combineHealth(reports, nowMs);
  return {
    gateways: reports
      .sort((a, b) => a.instance.localeCompare(b.instance))
      .map((r) => ({
        instance: r.instance,
        holdP95Ms: r.holdP95Ms,
        dbWaiting: r.dbWaiting,
        at: new Date(r.atMs).toISOString(),
        fresh: nowMs - r.atMs <= FRESH_MS,
      })),
    combined: combined && { holdP95Ms: combined.holdP95Ms, dbWaiting: combined.dbWaiting },
    dbQueueMax,
  };
}
