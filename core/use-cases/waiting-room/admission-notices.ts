import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { decodeSessionRecord } from './admission-session.js';
import { type AdmissionTicket, admissionTicketOf } from './admission-ticket.js';

type Deps = { redis: Redis; keys: Keys; admissionTokenSecret: string };

/** The `queue:admitted` pushes of these users went out: forget them. */
export async function markAdmissionsNotified(
  deps: Omit<Deps, 'admissionTokenSecret'>,
  eventId: string,
  userIds: string[],
): Promise<void> {
  if (userIds.length > 0) await deps.redis.zrem(deps.keys.admittedUnnotified(eventId), ...userIds);
}

/**
 * Admissions whose push is older than `graceMs` and still not marked sent: the worker that
 * admitted them died between the admission (atomic in Redis) and its push. Their live sessions
 * are returned so another worker can push the same ticket again; ended sessions are dropped.
 */
export async function findUnnotifiedAdmissions(
  deps: Deps,
  eventId: string,
  nowMs: number,
  graceMs: number,
): Promise<{ userId: string; ticket: AdmissionTicket }[]> {
  const key = deps.keys.admittedUnnotified(eventId);
  const userIds = await deps.redis.zrangebyscore(key, '-inf', nowMs - graceMs, 'LIMIT', 0, 1000);
  if (userIds.length === 0) return [];
  const records = await deps.redis.hmget(deps.keys.admissionSessions(eventId), ...userIds);
  const found: { userId: string; ticket: AdmissionTicket }[] = [];
  const ended: string[] = [];
  userIds.forEach((userId, i) => {
    const session = decodeSessionRecord(records[i]);
    if (session) found.push({ userId, ticket: admissionTicketOf(session, { userId, eventId }, deps.admissionTokenSecret) });
    else ended.push(userId);
  });
  if (ended.length > 0) await deps.redis.zrem(key, ...ended);
  return found;
}
