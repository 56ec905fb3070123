import type { MeState, MyQueuePlace } from '../../contract/me-state.js';
import type { Pool } from '../../db/pool.js';
import { isRedisCluster, type Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import { bucketsOf } from '../waiting-room/admission-buckets.js';
import type { AdmissionControl } from '../waiting-room/admission-control.js';
import { decodeSessionRecord } from '../waiting-room/admission-session.js';
import { admissionTicketOf } from '../waiting-room/admission-ticket.js';
import { waitingState } from '../waiting-room/run-queue-entry.js';
import { findMyStateRows, type OpenRoom } from './find-my-state-rows.js';

const script = loadLuaScript(new URL('./my-queue-place.lua', import.meta.url));

export interface MyStateDeps {
  pool: Pool;
  redis: Redis;
  keys: Keys;
  admissionTokenSecret: string;
}

const controlOf = (r: OpenRoom): AdmissionControl => ({
  eventId: r.eventId,
  settings: {
    maxActive: r.maxActive,
    admitPerTick: r.admitPerTick,
    tickMs: r.tickMs,
    sessionTtlSeconds: r.sessionTtlSeconds,
    targetHoldP95Ms: r.targetHoldP95Ms,
    auto: r.auto,
  },
  paused: r.paused,
  saleStartsAtMs: r.saleStartsAtMs,
  endsAtMs: r.endsAtMs,
  cancelled: false,
  version: 0,
});

/**
 * `me:state` / `GET /api/me/state`: what the user has, whatever device or gateway made it. One
 * Postgres statement (holds, waitlist entries, the events whose room may hold the user), then one
 * read-only script over all those rooms (on a Redis Cluster one per event, each to its slot, all
 * written in the same turn: still one round trip). Nothing is written: a hold's `expiresAt` is read,
 * never extended, and a waiting user's place is untouched.
 */
export async function readMyState(deps: MyStateDeps, userId: string, now: Date): Promise<MeState> {
  const rows = await findMyStateRows(deps.pool, userId);
  const nowMs = now.getTime();
  const k = deps.keys;
  const keysOf = (eventId: string) => [k.active(eventId), k.admissionSessions(eventId), k.queue(eventId), k.admittedLog(eventId)];
  const run = (eventIds: string[]) =>
    script.run(deps.redis, eventIds.flatMap(keysOf), [userId, nowMs]) as Promise<(unknown[] | 0)[]>;
  const eventIds = rows.rooms.map((r) => r.eventId);
  // A cluster keeps each event's keys in its own slot: one call per event, written together.
  const replies =
    eventIds.length === 0
      ? []
      : isRedisCluster(deps.redis)
        ? (await Promise.all(eventIds.map((id) => run([id])))).flat()
        : await run(eventIds);
  const queues: MyQueuePlace[] = [];
  rows.rooms.forEach((room, i) => {
    const place = placeOf(room, replies[i] || null, userId, nowMs, deps.admissionTokenSecret);
    if (place) queues.push(place);
  });
  return {
    at: rows.at,
    holds: rows.holds,
    waitlists: rows.waitlists.map(({ section, ...w }) => (section === null ? w : { ...w, section })),
    queues,
  };
}

function placeOf(room: OpenRoom, reply: unknown[] | null, userId: string, nowMs: number, secret: string): MyQueuePlace | null {
  if (!reply) return null;
  const { eventId } = room;
  if (reply[0] === 'admitted') {
    const session = decodeSessionRecord(reply[1] as string);
    return session ? { eventId, state: 'admitted', ...admissionTicketOf(session, { userId, eventId }, secret) } : null;
  }
  const [, rank, order, preQueueSize, flatBuckets] = reply as [string, number, string, number, string[]];
  const state = waitingState(controlOf(room), nowMs, {
    rank,
    order: Number(order),
    preQueueSize,
    buckets: bucketsOf(flatBuckets),
  });
  return state.state === 'waiting' ? { eventId, ...state } : null;
}
