import { z } from 'zod';
import type { Redis } from '../redis/connect-redis.js';
import type { Keys } from '../redis/keys.js';
import type { Principal } from './access-tokens.js';

/** What one "sessions ended" announcement carries between processes. */
export const SessionsEndedMessage = z.object({ userId: z.string().uuid(), atMs: z.number(), reason: z.string().max(64) });
export type SessionsEndedMessage = z.infer<typeof SessionsEndedMessage>;

/**
 * Records that every token of this user issued before `atMs` is dead and tells every gateway.
 * The hash outlives the message so a gateway that starts later still refuses old tokens; an
 * entry matters only while an access token signed before it can still be valid.
 */
export async function announceSessionsEnded(redis: Redis, keys: Keys, message: SessionsEndedMessage): Promise<void> {
  await redis.hset(keys.sessionsEnded, message.userId, String(message.atMs));
  await redis.publish(keys.sessionsEndedChannel, JSON.stringify(message));
}

export interface EndedSessions {
  /** True when the principal's token was issued before its user's sessions were ended. */
  isEnded(principal: Principal): boolean;
  close(): Promise<void>;
}

/**
 * A gateway's in-memory view of ended sessions, so the check on every command and request costs
 * a Map lookup, not a Redis round trip. Fed by the channel; loaded from the hash at start.
 */
export async function watchEndedSessions(
  redis: Redis,
  subscriber: Redis,
  keys: Keys,
  accessTokenTtlMs: number,
  onEnded: (message: SessionsEndedMessage) => void,
): Promise<EndedSessions> {
  const endedAt = new Map<string, number>();
  const remember = (userId: string, atMs: number) => {
    if ((endedAt.get(userId) ?? 0) < atMs) endedAt.set(userId, atMs);
  };
  subscriber.on('message', (channel: string, raw: string) => {
    if (channel !== keys.sessionsEndedChannel) return;
    let parsed: SessionsEndedMessage;
    try {
      parsed = SessionsEndedMessage.parse(JSON.parse(raw));
    } catch {
      return;
    }
    remember(parsed.userId, parsed.atMs);
    onEnded(parsed);
  });
  // Subscribe before loading: an end announced in between is then seen at least once.
  await subscriber.subscribe(keys.sessionsEndedChannel);
  const stored = await redis.hgetall(keys.sessionsEnded);
  const oldest = Date.now() - accessTokenTtlMs;
  const stale: string[] = [];
  for (const [userId, at] of Object.entries(stored)) {
    if (Number(at) < oldest) stale.push(userId);
    else remember(userId, Number(at));
  }
  if (stale.length > 0) await redis.hdel(keys.sessionsEnded, ...stale);
  const prune = setInterval(() => {
    const cutoff = Date.now() - accessTokenTtlMs;
    for (const [userId, at] of endedAt) if (at < cutoff) endedAt.delete(userId);
  }, 60_000);
  prune.unref();
  return {
    isEnded(p) {
      const at = endedAt.get(p.userId);
      return at !== undefined && (p.issuedAtMs ?? 0) <= at;
    },
    async close() {
      clearInterval(prune);
      await subscriber.quit().catch(() => subscriber.disconnect());
    },
  };
}
