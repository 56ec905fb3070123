import { verifyAdmissionToken } from '../../auth/admission-tokens.js';
import { AppError } from '../../domain/app-error.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';

const readSession = loadLuaScript(new URL('./read-admission-session.lua', import.meta.url));

/** What the admitter stores per admitted user: enough to check a token and to re-sign it. */
export interface AdmissionSessionRecord {
  sessionId: string;
  issuedAtSec: number;
  expiresAtSec: number;
}

export function decodeSessionRecord(raw: string | null | undefined): AdmissionSessionRecord | null {
  if (!raw) return null;
  const [sessionId, issuedAt, expiresAt] = raw.split(':');
  if (!sessionId || !issuedAt || !expiresAt) return null;
  return { sessionId, issuedAtSec: Number(issuedAt), expiresAtSec: Number(expiresAt) };
}

/**
 * The check `seats:hold` runs: a genuine token for this user and event whose session is still
 * live. NOT_ADMITTED: forged, bound to another user or event, or the session ended (leave, last
 * hold done, replaced). ADMISSION_EXPIRED: genuine, but the session ran out its TTL.
 */
export async function verifyAdmission(
  deps: { redis: Redis; keys: Keys; admissionTokenSecret: string },
  token: string,
  who: { userId: string; eventId: string },
  now: Date,
): Promise<void> {
  const claims = verifyAdmissionToken(token, who, deps.admissionTokenSecret, now);
  checkLiveSession(await findLiveAdmission(deps, who), claims.sessionId, now.getTime());
}

/** A user's admission to one event as stored: its session and when it runs out. */
export interface LiveAdmission {
  sessionId: string;
  expiresAtMs: number;
}

/** The user's stored admission session, or null when there is none (ended, never admitted). */
export async function findLiveAdmission(
  deps: { redis: Redis; keys: Keys },
  who: { userId: string; eventId: string },
): Promise<LiveAdmission | null> {
  const [raw, expiresAtMs] = (await readSession.run(
    deps.redis,
    [deps.keys.admissionSessions(who.eventId), deps.keys.active(who.eventId)],
    [who.userId],
  )) as [string | null, string | null];
  const session = decodeSessionRecord(raw);
  return session && expiresAtMs !== null ? { sessionId: session.sessionId, expiresAtMs: Number(expiresAtMs) } : null;
}

/**
 * NOT_ADMITTED without a session or for a token of another one (`sessionId`; null: any session
 * will do), ADMISSION_EXPIRED past its TTL.
 */
export function checkLiveSession(live: LiveAdmission | null, sessionId: string | null, nowMs: number): void {
  if (!live || (sessionId !== null && live.sessionId !== sessionId)) {
    throw new AppError('NOT_ADMITTED', 'admission session has ended, join the queue again');
  }
  if (live.expiresAtMs <= nowMs) throw new AppError('ADMISSION_EXPIRED', 'admission expired, join the queue again');
}

/** `eventId userId`: what the admission-ended channel carries. */
export const admissionEndedMessage = (eventId: string, userId: string) => `${eventId} ${userId}`;

/**
 * Frees the user's active slot (last hold confirmed or released, queue:leave); idempotent. Told
 * to every gateway, which trust an admission they checked once until they hear it ended.
 */
export async function endAdmissionSession(deps: { redis: Redis; keys: Keys }, eventId: string, userId: string): Promise<void> {
  await deps.redis
    .multi()
    .zrem(deps.keys.active(eventId), userId)
    .hdel(deps.keys.admissionSessions(eventId), userId)
    .publish(deps.keys.admissionEndedChannel, admissionEndedMessage(eventId, userId))
    .exec();
}
