import type { PushPayload } from '../../core/contract/pushes.js';
import { rooms } from '../../core/rooms.js';
import { type AdmissionTickResult, runAdmissionTick } from '../../core/use-cases/queue/run-admission-tick.js';
import type { WorkerContext } from '../worker-context.js';

/** One tick for one event: admit, tell each admitted user on every socket, record the figures. */
export async function admitTick(ctx: WorkerContext, eventId: string): Promise<AdmissionTickResult> {
  const result = await runAdmissionTick(
    { pool: ctx.pool, redis: ctx.redis, keys: ctx.keys, admissionTokenSecret: ctx.config.admissionTokenSecret },
    eventId,
    ctx.now(),
  );
  for (const { userId, ticket } of result.admitted) {
    const payload: PushPayload<'queue:admitted'> = { eventId, ...ticket };
    ctx.emitter.to(rooms.user(userId)).emit('queue:admitted', payload);
  }
  if (result.stale) return result;
  const event = { event: eventId };
  if (result.admitted.length > 0) ctx.metrics.admissions.inc(event, result.admitted.length);
  ctx.metrics.queueLength.set(event, result.waiting);
  ctx.metrics.fairness.set(event, result.maxDisplacement);
  return result;
}
