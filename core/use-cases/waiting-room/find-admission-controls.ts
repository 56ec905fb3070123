import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { admissionOf } from '../catalog/event-row.js';
import type { AdmissionControl } from './admission-control.js';

export const ADMISSION_CONTROL_COLUMNS = sql.fragment`id, admission_max_active, admission_admit_per_tick, admission_tick_ms,
  admission_session_ttl_seconds, admission_paused, admission_target_hold_p95_ms, admission_auto,
  admission_challenge_required, admission_require_verified_email, sale_starts_at, starts_at, cancelled_at,
  (extract(epoch FROM updated_at) * 1000000)::int8 AS version`;

export const AdmissionControlRow = z.object({
  id: z.string(),
  admission_max_active: z.number(),
  admission_admit_per_tick: z.number(),
  admission_tick_ms: z.number(),
  admission_session_ttl_seconds: z.number(),
  admission_paused: z.boolean(),
  admission_target_hold_p95_ms: z.number(),
  admission_auto: z.boolean(),
  admission_challenge_required: z.boolean(),
  admission_require_verified_email: z.boolean(),
  sale_starts_at: z.date(),
  starts_at: z.date(),
  cancelled_at: z.date().nullable(),
  version: z.number(),
});
export type AdmissionControlRow = z.infer<typeof AdmissionControlRow>;

export function toAdmissionControl(r: AdmissionControlRow): AdmissionControl {
  return {
    eventId: r.id,
    settings: admissionOf(r),
    paused: r.admission_paused,
    saleStartsAtMs: r.sale_starts_at.getTime(),
    endsAtMs: r.starts_at.getTime(),
    cancelled: r.cancelled_at !== null,
    version: r.version,
  };
}

/** The waiting-room columns of these events (missing ids are simply absent). */
export async function findAdmissionControls(db: Db, eventIds: readonly string[]): Promise<AdmissionControl[]> {
  if (eventIds.length === 0) return [];
  const rows = await db.any(
    sql.type(AdmissionControlRow)`SELECT ${ADMISSION_CONTROL_COLUMNS} FROM events WHERE id = ANY(${sql.array(eventIds, 'uuid')})`,
  );
  return rows.map(toAdmissionControl);
}
