import type { Pool } from '../../db/pool.js';
import { admissionBudget } from '../../domain/admission-policy.js';
import { isSaleOpenMs } from '../../domain/event-status.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { loadLuaScript } from '../../redis/run-lua-script.js';
import type { AdmissionControl } from './admission-control.js';
import { decodeSessionRecord } from './admission-session.js';
import { type AdmissionTicket, admissionTicketOf } from './admission-ticket.js';
import { loadAdmissionControl } from './load-admission-control.js';
import { steerAdmission } from './steer-admission.js';

const script = loadLuaScript(new URL('./admission-tick.lua', import.meta.url));

/** How far past the head a tick looks for connected users when the first ones are away. */
const HEAD_LOOKAHEAD = 1000;

export interface AdmissionTickResult {
  control: AdmissionControl;
  admitted: { userId: string; ticket: AdmissionTicket }[];
  waiting: number;
  active: number;
  maxDisplacement: number;
  /** The settings changed under this tick: it did nothing, the next one runs with the new ones. */
  stale: boolean;
}

/**
 * Admits up to `min(limit, maxActive - active)` users (limit: admitPerTick, or less while the
 * closed loop backs off, see steer-admission.ts) from the head of the queue, ends
 * sessions past their TTL and drops users whose disconnect grace period ran out.
 */
export async function runAdmissionTick(
  deps: { pool: Pool; redis: Redis; keys: Keys; admissionTokenSecret: string },
  eventId: string,
  now: Date,
  closedLoop: { dbQueueMax: number } = { dbQueueMax: 20 },
): Promise<AdmissionTickResult> {
  const control = await loadAdmissionControl(deps, eventId);
  const k = deps.keys;
  const nowMs = now.getTime();
  const active = await deps.redis.zcount(k.active(eventId), `(${nowMs}`, '+inf');
  const saleOpen = isSaleOpenMs(control, nowMs);
  // The closed loop only steers a running sale (a paused or closed room admits nobody anyway).
  const limit =
    saleOpen && !control.paused
      ? await steerAdmission(deps, control, nowMs, closedLoop.dbQueueMax)
      : control.settings.admitPerTick;
  const budget = admissionBudget({
    paused: control.paused,
    saleOpen,
    admitPerTick: limit,
    maxActive: control.settings.maxActive,
    active,
  });
  const reply = (await script.run(
    deps.redis,
    [
      k.queue(eventId),
      k.queueDisconnected(eventId),
      k.active(eventId),
      k.admissionSessions(eventId),
      k.admissionStats(eventId),
      k.admittedLog(eventId),
      k.admissionControl(eventId),
      k.admittedUnnotified(eventId),
    ],
    [nowMs, budget, control.settings.maxActive, control.settings.sessionTtlSeconds, HEAD_LOOKAHEAD, control.version],
  )) as [string[], number, number, number] | ['stale'];
  if (reply[0] === 'stale') return { control, admitted: [], waiting: -1, active: -1, maxDisplacement: -1, stale: true };
  const [flat, waiting, activeAfter, maxDisplacement] = reply;
  const admitted: AdmissionTickResult['admitted'] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const userId = flat[i] as string;
    const session = decodeSessionRecord(flat[i + 1]);
    if (session) admitted.push({ userId, ticket: admissionTicketOf(session, { userId, eventId }, deps.admissionTokenSecret) });
  }
  return { control, admitted, waiting, active: activeAfter, maxDisplacement, stale: false };
}
