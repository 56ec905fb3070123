import type { Pool } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { type AdmissionControl, fromControlHash } from './admission-control.js';
import { findAdmissionControls } from './find-admission-controls.js';
import { storeAdmissionControl } from './store-admission-control.js';

/**
 * The Redis mirror of an event's waiting-room settings, seeded from Postgres on first use (or
 * after Redis lost it). NOT_FOUND for an unknown event; nothing is written for it. Only a join
 * (`forJoin`) puts the event among those that get admission ticks: a status look-up, a
 * challenge, anyone's curiosity about an upcoming event must not make the workers tick for it.
 */
export async function loadAdmissionControl(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  eventId: string,
  forJoin = false,
): Promise<AdmissionControl> {
  const cached = fromControlHash(eventId, await deps.redis.hgetall(deps.keys.admissionControl(eventId)));
  if (cached) {
    if (forJoin) await deps.redis.sadd(deps.keys.onSaleEvents, eventId);
    return cached;
  }
  const [row] = await findAdmissionControls(deps.pool, [eventId]);
  if (!row) throw new AppError('NOT_FOUND', 'no such event');
  await storeAdmissionControl(deps, row);
  if (forJoin) await deps.redis.sadd(deps.keys.onSaleEvents, eventId);
  return row;
}
