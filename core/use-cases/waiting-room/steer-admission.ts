import { type HoldPathHealth, initialAdmitLimit, nextAdmitLimit } from '../../domain/admission-policy.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { type AdmissionControl, DEFAULT_TARGET_HOLD_P95_MS } from './admission-control.js';
import { type HoldHealthReport, readHoldHealthReports } from './read-hold-health-reports.js';

/** Gateway reports older than this are not counted (that gateway is gone or stuck). */
export const FRESH_MS = 3000;

type Report = Omit<HoldHealthReport, 'instance'>;

/** The hold path's health across gateways: the worst p95, the summed database queue. */
export function combineHealth(reports: readonly Report[], nowMs: number): (HoldPathHealth & { atMs: number }) | null {
  const fresh = reports.filter((r) => nowMs - r.atMs <= FRESH_MS);
  if (fresh.length === 0) return null;
  const p95s = fresh.map((r) => r.holdP95Ms).filter((p): p is number => p !== null);
  return {
    holdP95Ms: p95s.length > 0 ? Math.max(...p95s) : null,
    dbWaiting: fresh.reduce((n, r) => n + r.dbWaiting, 0),
    atMs: Math.max(...fresh.map((r) => r.atMs)),
  };
}

/**
 * The number this tick may admit (before `maxActive`): `admitPerTick` with the loop off, else
 * the closed loop's limit (from initialAdmitLimit, doubling until the first cut). The limit
 * moves once per new health report (a tick every 100 ms must not halve ten times on one slow
 * second) and is kept in the event's stats hash with the measured p95, which the analytics
 * stream shows and the next report is compared with, and the time of the last cut (the
 * cooldown's clock).
 */
export async function steerAdmission(
  deps: { redis: Redis; keys: Keys },
  control: AdmissionControl,
  nowMs: number,
  dbQueueMax: number,
): Promise<number> {
  const { admitPerTick } = control.settings;
  const stats = deps.keys.admissionStats(control.eventId);
  if (control.settings.auto === false) {
    await deps.redis.hset(stats, 'aimdLimit', admitPerTick);
    return admitPerTick;
  }
  const [reports, [limitRaw, usedAtRaw, cutAtRaw, previousP95Raw]] = await Promise.all([
    readHoldHealthReports(deps),
    deps.redis.hmget(stats, 'aimdLimit', 'aimdAt', 'aimdCutAt', 'holdP95Ms'),
  ]);
  // A new event's loop starts low and doubles until its first cut (slow start).
  const current = Math.min(admitPerTick, Number(limitRaw ?? initialAdmitLimit(admitPerTick)) || admitPerTick);
  const health = combineHealth(reports, nowMs);
  // No gateway reports at all: nothing to steer by, so the admin's rate (as with the loop off).
  if (!health) return limitRaw ? current : admitPerTick;
  if (health.atMs <= Number(usedAtRaw ?? 0)) return current;
  const next = nextAdmitLimit({
    current,
    admitPerTick,
    targetHoldP95Ms: control.settings.targetHoldP95Ms ?? DEFAULT_TARGET_HOLD_P95_MS,
    dbQueueMax,
    health,
    previousP95Ms: previousP95Raw ? Number(previousP95Raw) : null,
    ...(cutAtRaw ? { msSinceCut: nowMs - Number(cutAtRaw) } : { slowStart: true }),
  });
  await deps.redis.hset(
    stats,
    'aimdLimit',
    next,
    'aimdAt',
    health.atMs,
    'holdP95Ms',
    health.holdP95Ms ?? '',
    ...(next < current ? ['aimdCutAt', nowMs] : []),
  );
  return next;
}
