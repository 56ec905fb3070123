import type { PushPayload } from '../../contract/pushes.js';
import type { Pool } from '../../db/pool.js';
import { configuredAdmissionRate, estimateEtaSeconds, measuredAdmissionRate } from '../../domain/admission-policy.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { SocketEmitter } from '../../redis/create-socket-emitter.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import { rooms } from '../../rooms.js';
import { bucketsOf } from './admission-buckets.js';
import { isSaleOpenAt } from './admission-control.js';
import { loadAdmissionControl } from './load-admission-control.js';
import { RATE_WINDOW_SECONDS } from './run-queue-entry.js';

const script = loadLuaScript(new URL('./take-stale-positions.lua', import.meta.url));

/** Members read per ZRANGE; one pass walks the queue once from the first changed rank. */
const PAGE = 5000;

/**
 * Pushes `queue:position` to every waiting user whose place changed since the last pass: one
 * ZRANGE walk from the lowest changed rank, no per-user timers or state. Run it once per push
 * interval per event (the scheduler makes that at most about once a second per user).
 * Returns how many users were sent a position.
 */
export async function pushQueuePositions(
  deps: { pool: Pool; redis: Redis; keys: Keys; emitter: SocketEmitter },
  eventId: string,
  now: Date,
): Promise<number> {
  const control = await loadAdmissionControl(deps, eventId);
  const nowMs = now.getTime();
  if (!isSaleOpenAt(control, nowMs)) return 0;
  const k = deps.keys;
  const [from, flatBuckets] = (await script.run(deps.redis, [k.admissionStats(eventId), k.admittedLog(eventId)], ['1'])) as [
    number,
    string[],
  ];
  if (from < 0) return 0;
  const rate =
    measuredAdmissionRate(bucketsOf(flatBuckets), Math.floor(nowMs / 1000), RATE_WINDOW_SECONDS) ??
    configuredAdmissionRate(control.settings);
  let sent = 0;
  for (let start = from; ; start += PAGE) {
    const page = await deps.redis.zrange(k.queue(eventId), String(start), String(start + PAGE - 1));
    page.forEach((userId, i) => {
      const ahead = start + i;
      const payload: PushPayload<'queue:position'> = {
        eventId,
        position: ahead + 1,
        ahead,
        etaSeconds: estimateEtaSeconds(ahead, rate, control.paused),
      };
      deps.emitter.to(rooms.user(userId)).emit('queue:position', payload);
    });
    sent += page.length;
    if (page.length < PAGE) return sent;
  }
}
