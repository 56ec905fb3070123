import type { AdminCommandPayload, AdmissionState } from '../../contract/commands.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Redis } from '../../redis/connect-redis.js';
import type { Keys } from '../../redis/keys.js';
import { ADMISSION_CONTROL_COLUMNS, type AdmissionControlRow, toAdmissionControl } from './find-admission-controls.js';
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
    const { rows } = await tx.query<AdmissionControlRow>(
      `UPDATE events SET admission_paused = COALESCE($2, admission_paused),
              admission_max_active = COALESCE($3, admission_max_active),
              admission_admit_per_tick = COALESCE($4, admission_admit_per_tick),
              admission_tick_ms = COALESCE($5, admission_tick_ms),
              admission_target_hold_p95_ms = COALESCE($6, admission_target_hold_p95_ms),
              admission_auto = COALESCE($7, admission_auto),
              updated_at = clock_timestamp()
        WHERE id = $1 AND cancelled_at IS NULL
        RETURNING ${ADMISSION_CONTROL_COLUMNS}`,
      [
        input.eventId,
        paused,
        configure ? (input.maxActive ?? null) : null,
        configure ? (input.admitPerTick ?? null) : null,
        configure ? (input.tickMs ?? null) : null,
        configure ? (input.targetHoldP95Ms ?? null) : null,
        configure ? (input.auto ?? null) : null,
      ],
    );
    const updated = rows[0];
    if (!updated) {
      const exists = await tx.query('SELECT 1 FROM events WHERE id = $1', [input.eventId]);
      throw exists.rowCount ? new AppError('CONFLICT', 'the event is cancelled') : new AppError('NOT_FOUND', 'no such event');
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
