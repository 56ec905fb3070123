import type { FragmentSqlToken, PrimitiveValueExpression } from 'slonik';
import type { EventDetail, UpdateEventBody } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import { getManagedVenueRow } from '../venues/get-venue.js';
import { getEvent } from './get-event.js';
import { lockManagedEvent } from './lock-managed-event.js';

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
  ['venue_id', (b) => b.venueId],
  ['series', (b) => b.series],
  ['presale_starts_at', (b) => b.presaleStartsAt],
  ['refund_percent', (b) => b.refundPercent],
];

export async function updateEvent(
  pool: Pool,
  eventId: string,
  body: UpdateEventBody,
  actor: Actor,
  now: Date,
): Promise<EventDetail> {
  const sets: FragmentSqlToken[] = [];
  for (const [column, pick] of COLUMNS) {
    const value = pick(body);
    if (value === undefined) continue;
    sets.push(sql.fragment`${sql.identifier([column])} = ${value}`);
  }
  if (sets.length === 0) throw new AppError('VALIDATION_FAILED', 'nothing to update');
  await withTransaction(pool, async (tx) => {
    const current = await lockManagedEvent(tx, actor, eventId);
    if (current.cancelled) throw new AppError('CONFLICT', 'a cancelled event cannot be changed');
    if (body.venueId) await getManagedVenueRow(tx, actor, body.venueId, true);
    await tx.query(
      sql.typeAlias('void')`UPDATE events SET ${sql.join(sets, sql.fragment`, `)}, updated_at = now() WHERE id = ${eventId}`,
    );
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'event.updated',
      eventId,
      entityType: 'event',
      entityId: eventId,
      data: body,
    });
  });
  return getEvent(pool, eventId, now);
}
