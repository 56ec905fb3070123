import { randomBytes } from 'node:crypto';
import type { CreateAccessCodesBody, CreatedAccessCodes } from '../../contract/access-codes.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { formatAccessCode, hashAccessCode } from '../../domain/access-code.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import { lockManagedEvent } from '../catalog/lock-managed-event.js';

/** POST /api/admin/events/:id/access-codes: `count` new codes, by an admin or the event's organizer. */
export async function createAccessCodes(
  pool: Pool,
  actor: Actor,
  eventId: string,
  body: CreateAccessCodesBody,
): Promise<CreatedAccessCodes> {
  const codes = Array.from({ length: body.count }, () => formatAccessCode(randomBytes(12)));
  await withTransaction(pool, async (tx) => {
    const event = await lockManagedEvent(tx, actor, eventId);
    if (event.cancelled) throw new AppError('CONFLICT', 'the event is cancelled');
    await tx.query(
      sql.typeAlias('void')`INSERT INTO access_codes (event_id, code_hash, kind, max_uses, created_by)
       SELECT ${eventId}, h, ${body.kind}, ${body.maxUses}, ${actor.userId} FROM unnest(${sql.array(codes.map(hashAccessCode), 'text')}) AS h`,
    );
    await writeAudit(tx, {
      actorId: actor.userId,
      action: 'access_codes.created',
      eventId,
      entityType: 'event',
      entityId: eventId,
      data: { count: body.count, kind: body.kind, maxUses: body.maxUses },
    });
  });
  return { eventId, kind: body.kind, maxUses: body.maxUses, codes };
}
