import { verifyAdmissionToken } from '../../core/auth/admission-tokens.js';
import type { Redis } from '../../core/redis/connect-redis.js';
import type { Keys } from '../../core/redis/keys.js';
import {
  admissionEndedMessage,
  checkLiveSession,
  findLiveAdmission,
  type LiveAdmission,
} from '../../core/use-cases/waiting-room/admission-session.js';

/** Bounds the memory: admitted users of this gateway's sockets, not the crowd. */
const MAX_PASSES = 100_000;

interface Pass extends LiveAdmission {
  checkedAtMs: number;
}

/**
 * Admissions this gateway has checked in Redis once and trusts from then on, until they run out
 * (their expiry is known), until their end is pushed (leave, last hold done: every gateway hears
 * it on one channel) or for `recheckMs`. A buyer's holds and seat maps then cost no Redis round
 * trip for the admission: the token's signature and claims are checked in memory (cached), the
 * session it names against the pass.
 */
export async function createAdmissionPasses(deps: {
  redis: Redis;
  subscriber: Redis;
  keys: Keys;
  admissionTokenSecret: string;
  /**
   * A pass is checked again after this long even if no end was heard: pub/sub delivers at most
   * once (a reconnecting subscriber misses what was published meanwhile), so a lost end is trusted
   * at most this long. Short next to an admission (minutes), long next to a buyer's holds.
   */
  recheckMs: number;
}) {
  const passes = new Map<string, Pass>();
  const keyOf = (eventId: string, userId: string) => admissionEndedMessage(eventId, userId);
  deps.subscriber.on('message', (channel: string, message: string) => {
    if (channel === deps.keys.admissionEndedChannel) passes.delete(message);
  });
  await deps.subscriber.subscribe(deps.keys.admissionEndedChannel);

  /** The pass for this user and event, read from Redis when unknown, stale, or of another session. */
  const passFor = async (who: { userId: string; eventId: string }, sessionId: string | null, nowMs: number) => {
    const key = keyOf(who.eventId, who.userId);
    const known = passes.get(key);
    if (known && nowMs - known.checkedAtMs < deps.recheckMs && (sessionId === null || known.sessionId === sessionId)) {
      return known;
    }
    const live = await findLiveAdmission(deps, who);
    passes.delete(key);
    if (live) {
      if (passes.size >= MAX_PASSES) passes.delete(passes.keys().next().value as string);
      passes.set(key, { ...live, checkedAtMs: nowMs });
    }
    return live;
  };

  return {
    /** `seats:hold`'s check (verifyAdmission's rules): the token, then its session, from the pass. */
    async verify(token: string, who: { userId: string; eventId: string }, now: Date): Promise<void> {
      const claims = verifyAdmissionToken(token, who, deps.admissionTokenSecret, now);
      checkLiveSession(await passFor(who, claims.sessionId, now.getTime()), claims.sessionId, now.getTime());
    },
    /** NOT_ADMITTED (or ADMISSION_EXPIRED) unless the user has a live admission to the event. */
    async requireAdmitted(who: { userId: string; eventId: string }, now: Date): Promise<void> {
      checkLiveSession(await passFor(who, null, now.getTime()), null, now.getTime());
    },
    /** This gateway ended the admission itself (last hold done, a leave): its pass goes now, not
     * when the gateway's own announcement comes back over pub/sub, so its next hold reads Redis. */
    forget(eventId: string, userId: string): void {
      passes.delete(keyOf(eventId, userId));
    },
    size: () => passes.size,
    async close(): Promise<void> {
      passes.clear();
      await deps.subscriber.quit().catch(() => deps.subscriber.disconnect());
    },
  };
}

export type AdmissionPasses = Awaited<ReturnType<typeof createAdmissionPasses>>;
