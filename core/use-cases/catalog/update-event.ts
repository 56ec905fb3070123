import type { FragmentSqlToken, PrimitiveValueExpression } from 'slonik';
import type { EventDetail, UpdateEventBody } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import type { SeatChangeEffects } from '../../seat-change-effects.js';
import { getManagedVenueRow } from '../venues/get-venue.js';
import { getEvent } from './get-event.js';
import { lockManagedEvent } from './lock-managed-event.js';
import { replaceEventSections } from './replace-event-sections.js';

/** Each column and the body field that sets it; only the fields present are written. */
const COLUMNS: readonly (readonly [string, (b: UpdateEventBody) => PrimitiveValueExpression | undefined])[] = [
  ['name', (b) => b.name],
  ['venue', (b) => b.venue],
  ['starts_at', (b) => b.startsAt],
  ['sale_starts_at', (b) => b.saleStartsAt],
  ['max_seats_per_user', (b) => b.maxSeatsPerUser],
  ['hold_ttl_seconds', (b) => b.holdTtlSeconds],
  ['admission_max_active', (b) => b.admission?.maxActive],
  ['admission_admit_per_tick', (b) => b.admission?.admitPerTick],
  ['admission_tick_ms', (b) => b.admission?.tickMs],
  ['admission_session_ttl_seconds', (b) => b.admission?.sessionTtlSeconds],
  ['admission_target_hold_p95_ms', (b) => b.admission?.targetHoldP95Ms],
  ['admission_auto', (b) => b.admission?.auto],
  ['admission_challenge_required', (b) => b.admission?.challenge?.required],
  ['admission_require_verified_email', (b) => b.admission?.requireVerifiedEmail],
  ['venue_id', (b) => b.venueId],
  ['series', (b) => b.series],
  ['presale_starts_at', (b) => b.presaleStartsAt],
  ['refund_percent', (b) => b.refundPercent],
];

export interface UpdatedEvent {
  event: EventDetail;
  /** After commit: when sections or prices were written, every gateway drops its cached layout. */
  effects: SeatChangeEffects;
  /** The seats themselves were replaced (new ids), not only renamed or repriced. */
  seatsReplaced: boolean;
}

export async function updateEvent(
  pool: Pool,
  eventId: string,
  body: UpdateEventBody,
  actor: Actor,
  now: Date,
): Promise<UpdatedEvent> {
  const sets: FragmentSqlToken[] = [];
  for (const [column, pick] of COLUMNS) {
    const value = pick(body);
    if (value === undefined) continue;
    sets.push(sql.fragment`${sql.identifier([column])} = ${value}`);
  }
  if (sets.length === 0 && !body.sections) throw new AppError('VALIDATION_FAILED', 'nothing to update');
  const seatsReplaced = await withTransaction(pool, async (tx) => {
    const current = await lockManagedEvent(tx, actor, eventId);
    if (current.cancelled) throw new AppError('CONFLICT', 'a cancelled event cannot be changed');
    if (body.venueId) await getManagedVenueRow(tx, actor, body.venueId, true);
    // The layout first: its rule reads the stored sale times, not the ones this request sets.
    const replaced = body.sections ? await replaceEventSections(tx, eventId, body.sections, now) : false;
    sets.push(sql.fragment`updated_at = now()`);
    await tx.query(sql.typeAlias('void')`UPDATE events SET ${sql.join(sets, sql.fragment`, `)} WHERE id = ${eventId}`);
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'event.updated',
      eventId,
      entityType: 'event',
      entityId: eventId,
      data: body,
    });
    return replaced;
  });
  return {
    event: await getEvent(pool, eventId, now),
    effects: { eventId, changes: [], layoutChanged: body.sections !== undefined },
    seatsReplaced,
  };
}
