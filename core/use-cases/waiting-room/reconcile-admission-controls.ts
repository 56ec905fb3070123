import type { Pool } from '../../db/pool.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import type { AdmissionControl } from './admission-control.js';
import { findAdmissionControls } from './find-admission-controls.js';
import { storeAdmissionControl } from './store-admission-control.js';

/**
 * Mirrors the rows of every event with a waiting room into Redis (an HTTP PATCH of admission
 * settings lands here within one interval) and retires events whose sale is over or that were
 * cancelled or deleted. Returns the events that still need admission ticks.
 */
export async function reconcileAdmissionControls(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  now: Date,
): Promise<{ live: AdmissionControl[]; retired: string[] }> {
  const eventIds = await deps.redis.smembers(deps.keys.onSaleEvents);
  const rows = await findAdmissionControls(deps.pool, eventIds);
  const live: AdmissionControl[] = [];
  for (const row of rows) {
    await storeAdmissionControl(deps, row);
    if (!row.cancelled && now.getTime() < row.endsAtMs) live.push(row);
  }
  const liveIds = new Set(live.map((c) => c.eventId));
  const retired = eventIds.filter((id) => !liveIds.has(id));
  if (retired.length > 0) await deps.redis.srem(deps.keys.onSaleEvents, ...retired);
  return { live, retired };
}
