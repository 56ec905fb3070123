import type { PushPayload } from '../../core/contract/pushes.js';
import { rooms } from '../../core/rooms.js';
import { findUnnotifiedAdmissions, markAdmissionsNotified } from '../../core/use-cases/waiting-room/admission-notices.js';
import type { AdmissionTicket } from '../../core/use-cases/waiting-room/admission-ticket.js';
import { type AdmissionTickResult, runAdmissionTick } from '../../core/use-cases/waiting-room/run-admission-tick.js';
import type { WorkerContext } from '../runtime/worker-context.js';

/** An admission whose push is still unsent after this long was left by a worker that died. */
const RENOTIFY_AFTER_MS = 2000;

/**
 * One tick for one event: push again admissions a dead worker never announced, admit, tell each
 * admitted user on every socket, record the figures.
 */
export async function admitTick(ctx: WorkerContext, eventId: string): Promise<AdmissionTickResult> {
  const deps = { pool: ctx.pool, redis: ctx.redis, keys: ctx.keys, admissionTokenSecret: ctx.config.admissionTokenSecret };
  const orphaned = await findUnnotifiedAdmissions(deps, eventId, ctx.now().getTime(), RENOTIFY_AFTER_MS);
  if (orphaned.length > 0) ctx.log.warn({ eventId, users: orphaned.length }, 'pushing admissions a worker did not announce');
  await announce(ctx, eventId, orphaned);
  const result = await runAdmissionTick(deps, eventId, ctx.now(), { dbQueueMax: ctx.config.admissionDbQueueMax });
  await announce(ctx, eventId, result.admitted);
  if (result.stale) return result;
  const event = { event: eventId };
  if (result.admitted.length > 0) ctx.metrics.admissions.inc(event, result.admitted.length);
  ctx.metrics.queueLength.set(event, result.waiting);
  ctx.metrics.fairness.set(event, result.maxDisplacement);
  return result;
}

async function announce(ctx: WorkerContext, eventId: string, admitted: { userId: string; ticket: AdmissionTicket }[]) {
  for (const { userId, ticket } of admitted) {
    const { shopUrl } = ctx.config;
    const payload: PushPayload<'queue:admitted'> = { eventId, ...ticket, ...(shopUrl ? { shopUrl } : {}) };
    ctx.emitter.to(rooms.user(userId)).emit('queue:admitted', payload);
  }
  await markAdmissionsNotified(
    ctx,
    eventId,
    admitted.map((a) => a.userId),
  );
}
