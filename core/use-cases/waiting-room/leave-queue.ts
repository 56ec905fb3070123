import type { Pool } from '../../db/pool.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import { admissionEndedMessage } from './admission-session.js';
import { loadAdmissionControl } from './load-admission-control.js';

const script = loadLuaScript(new URL('./leave-queue.lua', import.meta.url));

/** Gives up the place or the admission session; idempotent. NOT_FOUND for an unknown event. */
export async function leaveQueue(deps: { pool: Pool; redis: Redis; keys: Keys }, eventId: string, userId: string): Promise<void> {
  await loadAdmissionControl(deps, eventId);
  const k = deps.keys;
  const left = await script.run(
    deps.redis,
    [k.queue(eventId), k.queueDisconnected(eventId), k.active(eventId), k.admissionSessions(eventId), k.admissionStats(eventId)],
    [userId],
  );
  // Gateways that trust this user's admission hear that it ended.
  if (left === 1) await deps.redis.publish(k.admissionEndedChannel, admissionEndedMessage(eventId, userId));
}
