import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import { type AdmissionControl, toControlFields } from './admission-control.js';

const script = loadLuaScript(new URL('./store-admission-control.lua', import.meta.url));

/** Mirrors an event's row into Redis unless the mirror already holds a newer one. */
export async function storeAdmissionControl(deps: { redis: Redis; keys: Keys }, c: AdmissionControl): Promise<boolean> {
  const stored = await script.run(
    deps.redis,
    [deps.keys.admissionControl(c.eventId), deps.keys.admissionStats(c.eventId)],
    [c.version, ...toControlFields(c)],
  );
  return stored === 1;
}
