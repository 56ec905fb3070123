import type { AnalyticsSnapshot } from '../../contract/commands.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { bucketsOf } from './admission-buckets.js';

/** The waiting-room part of an analytics snapshot for one event (fairness included). */
export async function readQueueFigures(
  deps: { redis: Redis; keys: Keys },
  eventId: string,
  now: Date,
): Promise<AnalyticsSnapshot['queue']> {
  const k = deps.keys;
  const nowMs = now.getTime();
  const [[, waiting], [, active], [, paused], [, displacement], [, flat]] = (await deps.redis
    .multi()
    .zcard(k.queue(eventId))
    .zcount(k.active(eventId), `(${nowMs}`, '+inf')
    .hget(k.admissionControl(eventId), 'paused')
    .hget(k.admissionStats(eventId), 'maxDisplacement')
    .hgetall(k.admittedLog(eventId))
    .exec()) as [unknown, unknown][] as [
    [unknown, number],
    [unknown, number],
    [unknown, string | null],
    [unknown, string | null],
    [unknown, Record<string, string>],
  ];
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
  };
}
