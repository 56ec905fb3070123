import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Redis } from '../redis/connect-redis.js';
import type { Keys } from '../redis/keys.js';
import type { Principal } from './access-tokens.js';

/**
 * What one "sessions ended" announcement carries between processes: every session of a user
 * (tokens issued until `atMs`), or one session (`sessionId`: every token of that sign-in).
 */
export const SessionsEndedMessage = z.object({
  userId: z.string().uuid(),
  sessionId: z.string().uuid().optional(),
  atMs: z.number(),
  reason: z.string().max(64),
});
export type SessionsEndedMessage = z.infer<typeof SessionsEndedMessage>;

const memberOf = (m: SessionsEndedMessage) => (m.sessionId ? `s:${m.sessionId}:${m.userId}` : `u:${m.userId}`);

function messageOf(member: string, atMs: number): SessionsEndedMessage | null {
  const [kind, a, b] = member.split(':');
  if (kind === 'u' && a) return { userId: a, atMs, reason: 'sessions_ended' };
  if (kind === 's' && a && b) return { userId: b, sessionId: a, atMs, reason: 'session_ended' };
  return null;
}

/**
 * Records the end in the Redis store every gateway reads (a sorted set by end time) and tells
 * every gateway at once over pub/sub: a gateway whose subscriber was away (reconnecting,
 * starting) still finds the end at its next read, within `pollMs`. Callers record the end in
 * Postgres (session_ends) first, in the statement that revokes the refresh tokens: that record
 * survives whatever Redis loses.
 */
export async function announceSessionsEnded(redis: Redis, keys: Keys, message: SessionsEndedMessage): Promise<void> {
  await redis.zadd(keys.sessionsEndedLog, 'GT', message.atMs, memberOf(message));
  await redis.publish(keys.sessionsEndedChannel, JSON.stringify(message));
}

export interface EndedSessions {
  /** True when the principal's token was issued before its user's sessions were ended, or its session ended. */
  isEnded(principal: Principal): boolean;
  close(): Promise<void>;
}

/** The durable record of ends (Postgres), which outlives whatever Redis loses. */
export interface DurableSessionEnds {
  findSince(sinceMs: number): Promise<SessionsEndedMessage[]>;
  deleteBefore(beforeMs: number): Promise<void>;
}

/**
 * A gateway's in-memory view of ended sessions, so the check on every command and request costs
 * a Map lookup, not a round trip. Fed by the channel (fast path) and by reading the Redis store
 * every `pollMs` from a little before the newest end it has seen (pub/sub is at most once, and a
 * reconnecting subscriber misses what was published meanwhile). Every end is acted on
 * (`onEnded`: close the sockets) once, however it arrived.
 *
 * Redis may lose ends (no persistence, a restart, an asynchronous failover), so the view is also
 * seeded from the durable record: at start; whenever the store's generation marker is missing or
 * not the one seen last (the keys were lost: whoever reads first writes a new one, and every
 * gateway then seeds once); and whenever either Redis connection comes back, which covers a
 * failover or a restart from an older snapshot that kept the marker but lost the latest ends.
 * The marker is read before the seed, so an end lost from Redis was in Postgres by then.
 */
export async function watchEndedSessions(
  redis: Redis,
  subscriber: Redis,
  keys: Keys,
  durable: DurableSessionEnds,
  opts: { accessTokenTtlMs: number; pollMs: number },
  onEnded: (message: SessionsEndedMessage) => void,
): Promise<EndedSessions> {
  const userEndedAt = new Map<string, number>();
  const sessionEndedAt = new Map<string, number>();
  const learn = (m: SessionsEndedMessage) => {
    const [map, id] = m.sessionId ? [sessionEndedAt, m.sessionId] : [userEndedAt, m.userId];
    if ((map.get(id) ?? -1) >= m.atMs) return;
    map.set(id, m.atMs);
    onEnded(m);
  };
  subscriber.on('message', (channel: string, raw: string) => {
    if (channel !== keys.sessionsEndedChannel) return;
    try {
      learn(SessionsEndedMessage.parse(JSON.parse(raw)));
    } catch {
      // not ours
    }
  });
  // Ends are stamped by the clock of the process that announced them: read back far enough
  // that a process whose clock runs a little behind is not skipped.
  const SKEW_MS = 10_000;
  let newest = Date.now() - opts.accessTokenTtlMs;
  // What the view was last seeded for: the store's generation, and how many times a connection
  // came back (counted before the marker is read, so a seed already running when a connection
  // came back does not count as the seed after it).
  let reconnects = 0;
  let seededFor = '';
  const generationNow = async (): Promise<string> => {
    const seen = await redis.get(keys.sessionsEndedGeneration);
    if (seen) return seen;
    await redis.set(keys.sessionsEndedGeneration, randomUUID(), 'NX');
    return (await redis.get(keys.sessionsEndedGeneration)) ?? '';
  };
  const read = async () => {
    const reconnectsSeen = reconnects;
    const wanted = `${reconnectsSeen}:${await generationNow()}`;
    if (wanted !== seededFor) {
      for (const m of await durable.findSince(Date.now() - opts.accessTokenTtlMs)) learn(m);
      seededFor = wanted;
    }
    const flat = await redis.zrangebyscore(keys.sessionsEndedLog, newest - SKEW_MS, '+inf', 'WITHSCORES');
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const atMs = Number(flat[i + 1]);
      const m = messageOf(flat[i] as string, atMs);
      if (m) learn(m);
      if (atMs > newest) newest = atMs;
    }
  };
  // Subscribe before reading: an end announced in between is then seen at least once.
  await subscriber.subscribe(keys.sessionsEndedChannel);
  await read();
  const reseed = () => {
    reconnects += 1;
    void read().catch(() => {});
  };
  redis.on('ready', reseed);
  subscriber.on('ready', reseed);
  const poll = setInterval(() => void read().catch(() => {}), opts.pollMs);
  poll.unref();
  const prune = setInterval(() => {
    const cutoff = Date.now() - opts.accessTokenTtlMs;
    for (const map of [userEndedAt, sessionEndedAt]) for (const [id, at] of map) if (at < cutoff) map.delete(id);
    // An end matters only while a token issued before it can still be valid.
    void redis.zremrangebyscore(keys.sessionsEndedLog, '-inf', cutoff - SKEW_MS).catch(() => {});
    void durable.deleteBefore(cutoff - SKEW_MS).catch(() => {});
  }, 60_000);
  prune.unref();
  return {
    isEnded(p) {
      if (p.sessionId && sessionEndedAt.has(p.sessionId)) return true;
      const at = userEndedAt.get(p.userId);
      return at !== undefined && (p.issuedAtMs ?? 0) <= at;
    },
    async close() {
      clearInterval(poll);
      clearInterval(prune);
      redis.off('ready', reseed);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
