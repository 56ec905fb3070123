import type { QueueState } from '../../contract/commands.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import { bucketsOf } from './admission-buckets.js';
import type { AdmissionControl } from './admission-control.js';
import { waitingState } from './run-queue-entry.js';

const script = loadLuaScript(new URL('./queue-places.lua', import.meta.url));

/** Users per script call: long enough to amortize the round trip, short enough that Redis is
 * never blocked for long (about a millisecond per thousand users). */
const CHUNK = 1000;

export type WaitingPlace = Extract<QueueState, { state: 'waiting' }>;

/**
 * The waiting-room place of each given user (null when no longer waiting), computed the way a
 * `queue:status` reply is. One cheap read per user (ZRANK + ZSCORE in a script), chunked and
 * pipelined: what a gateway runs once a second for its own waiting sockets, instead of a
 * pub/sub message per user through Redis.
 */
export async function readQueuePlaces(
  deps: { redis: Redis; keys: Keys },
  control: AdmissionControl,
  userIds: readonly string[],
  nowMs: number,
): Promise<Map<string, WaitingPlace | null>> {
  const k = deps.keys;
  const places = new Map<string, WaitingPlace | null>();
  const chunks: string[][] = [];
  for (let i = 0; i < userIds.length; i += CHUNK) chunks.push(userIds.slice(i, i + CHUNK));
  const replies = await Promise.all(
    chunks.map((users) => script.run(deps.redis, [k.queue(control.eventId), k.admittedLog(control.eventId)], users)),
  );
  replies.forEach((reply, c) => {
    const [preQueueSize, flatBuckets, ...pairs] = reply as [number, string[], ...(number | string)[]];
    const buckets = bucketsOf(flatBuckets);
    (chunks[c] as string[]).forEach((userId, i) => {
      const rank = Number(pairs[2 * i]);
      if (rank < 0) {
        places.set(userId, null);
        return;
      }
      const order = Number(pairs[2 * i + 1]);
      places.set(userId, waitingState(control, nowMs, { rank, order, preQueueSize, buckets }) as WaitingPlace);
    });
  });
  return places;
}
