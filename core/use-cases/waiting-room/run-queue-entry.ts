import { randomInt } from 'node:crypto';
import type { QueueState } from '../../contract/commands.js';
import type { Pool } from '../../db/pool.js';
import {
  configuredAdmissionRate,
  estimateEtaSeconds,
  initialAdmitLimit,
  joinAdmissionCap,
  measuredAdmissionRate,
} from '../../domain/admission-policy.js';
import { AppError } from '../../domain/app-error.js';
import { isSaleOpenMs } from '../../domain/event-status.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import type { QueuePriority } from '../access-codes/redeem-access-code.js';
import { bucketsOf } from './admission-buckets.js';
import type { AdmissionControl } from './admission-control.js';
import { decodeSessionRecord } from './admission-session.js';
import { admissionTicketOf } from './admission-ticket.js';

const script = loadLuaScript(new URL('./queue-entry.lua', import.meta.url));

export interface QueueDeps {
  pool: Pool;
  redis: Redis;
  keys: Keys;
  admissionTokenSecret: string;
}

/** Seconds the admission rate is averaged over for ETAs. */
export const RATE_WINDOW_SECONDS = 60;

/**
 * Shared by queue:join and queue:status: one atomic script, then the reply. The caller has read
 * the event's `control` (loadAdmissionControl); a join used to read it twice, a Redis round trip
 * of its four for nothing.
 */
export async function runQueueEntry(
  deps: QueueDeps,
  control: AdmissionControl,
  userId: string,
  now: Date,
  mode: 'join' | 'status',
  priority: QueuePriority | null = null,
): Promise<QueueState> {
  const { eventId } = control;
  const nowMs = now.getTime();
  // A presale code opens the room to its holder from presaleStartsAt (redeemAccessCode checked it).
  const saleOpen = isSaleOpenMs(control, nowMs) || (priority?.presaleOpen === true && !control.cancelled);
  if (mode === 'join' && (control.cancelled || nowMs >= control.endsAtMs)) {
    throw new AppError('SALE_NOT_OPEN', 'the sale for this event is over');
  }
  const preSaleOrder = !saleOpen && nowMs < control.saleStartsAtMs ? String(-1 - randomInt(2 ** 48 - 1)) : '';
  const k = deps.keys;
  const reply = (await script.run(
    deps.redis,
    [
      k.queue(eventId),
      k.queueDisconnected(eventId),
      k.active(eventId),
      k.admissionSessions(eventId),
      k.admissionStats(eventId),
      k.queueSeq(eventId),
      k.admittedLog(eventId),
    ],
    [
      userId,
      nowMs,
      preSaleOrder,
      joinAdmissionCap({ paused: control.paused, saleOpen, maxActive: control.settings.maxActive }),
      control.settings.sessionTtlSeconds,
      mode === 'join' ? '1' : '0',
      priority ? '1' : '0',
      1000 / control.settings.tickMs,
      control.settings.auto === false ? control.settings.admitPerTick : initialAdmitLimit(control.settings.admitPerTick),
    ],
  )) as [string, ...unknown[]];
  if (reply[0] === 'none') return { state: 'none' };
  if (reply[0] === 'admitted') {
    const session = decodeSessionRecord(reply[1] as string);
    if (!session) throw new AppError('INTERNAL', 'admission session record is missing');
    return { state: 'admitted', ...admissionTicketOf(session, { userId, eventId }, deps.admissionTokenSecret) };
  }
  const [, rank, order, preQueueSize, flatBuckets] = reply as [string, number, string, number, string[]];
  return waitingState(control, nowMs, { rank, order: Number(order), preQueueSize, buckets: bucketsOf(flatBuckets) });
}

/** The reply for a waiting user's place; `paused: true` while an admin paused the room. */
export function waitingState(
  control: AdmissionControl,
  nowMs: number,
  place: { rank: number; order: number; preQueueSize: number; buckets: ReturnType<typeof bucketsOf> },
): QueueState {
  // Until sale start nobody in the pre-queue may learn their (already random) place.
  const paused = control.paused ? { paused: true } : {};
  if (place.order < 0 && nowMs < control.saleStartsAtMs) {
    return { state: 'waiting', position: null, ahead: Math.max(0, place.preQueueSize - 1), etaSeconds: null, ...paused };
  }
  const rate =
    measuredAdmissionRate(place.buckets, Math.floor(nowMs / 1000), RATE_WINDOW_SECONDS) ??
    configuredAdmissionRate(control.settings);
  return {
    state: 'waiting',
    position: place.rank + 1,
    ahead: place.rank,
    etaSeconds: estimateEtaSeconds(place.rank, rate, control.paused),
    ...paused,
  };
}
