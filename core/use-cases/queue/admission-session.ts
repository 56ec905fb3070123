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

export function encodeSessionRecord(r: AdmissionSessionRecord): string {
  return `${r.sessionId}:${r.issuedAtSec}:${r.expiresAtSec}`;
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
  const [raw, expiresAtMs] = (await readSession.run(
    deps.redis,
    [deps.keys.admissionSessions(who.eventId), deps.keys.active(who.eventId)],
    [who.userId],
  )) as [string | null, string | null];
  const session = decodeSessionRecord(raw);
  if (!session || expiresAtMs === null || session.sessionId !== claims.sessionId) {
    throw new AppError('NOT_ADMITTED', 'admission session has ended, join the queue again');
  }
  if (Number(expiresAtMs) <= now.getTime()) throw new AppError('ADMISSION_EXPIRED', 'admission expired, join the queue again');
}

/** Frees the user's active slot (last hold confirmed or released, queue:leave); idempotent. */
export async function endAdmissionSession(deps: { redis: Redis; keys: Keys }, eventId: string, userId: string): Promise<void> {
  await deps.redis.multi().zrem(deps.keys.active(eventId), userId).hdel(deps.keys.admissionSessions(eventId), userId).exec();
}
