import { z } from 'zod';
import type { AdminCommandPayload, AdmissionState } from '../../contract/commands.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { ADMISSION_CONTROL_COLUMNS, AdmissionControlRow, toAdmissionControl } from './find-admission-controls.js';
import { storeAdmissionControl } from './store-admission-control.js';

/**
 * Admin pause / resume / configure, live: Postgres keeps it (survives a Redis loss), the Redis
 * mirror is updated before the reply, so the next tick already runs with it.
 */
export async function controlAdmission(
  deps: { pool: Pool; redis: Redis; keys: Keys },
  input: AdminCommandPayload<'queue:control'>,
  actorId: string,
): Promise<AdmissionState> {
  const paused = input.action === 'pause' ? true : input.action === 'resume' ? false : null;
  const configure = input.action === 'configure';
  const row = await withTransaction(deps.pool, async (tx) => {
    const updated = await tx.maybeOne(
      sql.type(AdmissionControlRow)`UPDATE events SET admission_paused = COALESCE(${paused}, admission_paused),
              admission_max_active = COALESCE(${configure ? (input.maxActive ?? null) : null}, admission_max_active),
              admission_admit_per_tick = COALESCE(${configure ? (input.admitPerTick ?? null) : null}, admission_admit_per_tick),
              admission_tick_ms = COALESCE(${configure ? (input.tickMs ?? null) : null}, admission_tick_ms),
              admission_target_hold_p95_ms = COALESCE(${configure ? (input.targetHoldP95Ms ?? null) : null}, admission_target_hold_p95_ms),
              admission_auto = COALESCE(${configure ? (input.auto ?? null) : null}, admission_auto),
              admission_challenge_required = COALESCE(${configure ? (input.challenge?.required ?? null) : null}, admission_challenge_required),
              admission_require_verified_email = COALESCE(${configure ? (input.requireVerifiedEmail ?? null) : null}, admission_require_verified_email),
              updated_at = clock_timestamp()
        WHERE id = ${input.eventId} AND cancelled_at IS NULL
        RETURNING ${ADMISSION_CONTROL_COLUMNS}`,
    );
    if (!updated) {
      const exists = await tx.exists(
        sql.type(z.object({ one: z.number() }))`SELECT 1 AS one FROM events WHERE id = ${input.eventId}`,
      );
      throw exists ? new AppError('CONFLICT', 'the event is cancelled') : new AppError('NOT_FOUND', 'no such event');
    }
    await writeAudit(tx, {
      actorId,
      action: `queue.${input.action}`,
      eventId: input.eventId,
      entityType: 'event',
      entityId: input.eventId,
      data: { ...input },
    });
    return toAdmissionControl(updated);
  });
  await storeAdmissionControl(deps, row);
  await deps.redis.sadd(deps.keys.onSaleEvents, row.eventId);
  return { eventId: row.eventId, paused: row.paused, ...row.settings };
}
