import type { AnalyticsSnapshot } from '../../contract/commands.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { bucketsOf } from './admission-buckets.js';
import { DEFAULT_TARGET_HOLD_P95_MS } from './admission-control.js';

/** The waiting-room part of an analytics snapshot for one event (fairness included). */
export async function readQueueFigures(
  deps: { redis: Redis; keys: Keys },
  eventId: string,
  now: Date,
): Promise<AnalyticsSnapshot['queue']> {
  const k = deps.keys;
  const nowMs = now.getTime();
  const [[, waiting], [, active], [, paused], [, displacement], [, flat], [, loop], [, control]] = (await deps.redis
    .multi()
    .zcard(k.queue(eventId))
    .zcount(k.active(eventId), `(${nowMs}`, '+inf')
    .hget(k.admissionControl(eventId), 'paused')
    .hget(k.admissionStats(eventId), 'maxDisplacement')
    .hgetall(k.admittedLog(eventId))
    .hmget(k.admissionStats(eventId), 'aimdLimit', 'holdP95Ms')
    .hmget(k.admissionControl(eventId), 'auto', 'targetHoldP95Ms', 'admitPerTick')
    .exec()) as [unknown, unknown][] as [
    [unknown, number],
    [unknown, number],
    [unknown, string | null],
    [unknown, string | null],
    [unknown, Record<string, string>],
    [unknown, (string | null)[]],
    [unknown, (string | null)[]],
  ];
  const [limit, holdP95] = loop;
  const [auto, target, admitPerTick] = control;
  const nowSec = Math.floor(nowMs / 1000);
  const lastMinute = bucketsOf(Object.entries(flat).flat())
    .filter((b) => b.second > nowSec - 60)
    .reduce((sum, b) => sum + b.count, 0);
  return {
    waiting,
    active,
    admittedPerMinute: lastMinute,
    paused: paused === '1',
    fairnessDisplacement: Number(displacement ?? 0),
    // Closed loop: on/off, target, the p95 it measured and the per-tick limit it chose.
    auto: auto !== '0',
    targetHoldP95Ms: Number(target ?? DEFAULT_TARGET_HOLD_P95_MS) || DEFAULT_TARGET_HOLD_P95_MS,
    holdP95Ms: holdP95 ? Number(holdP95) : null,
    admitLimitPerTick: Number(limit ?? admitPerTick ?? 0),
  };
}
