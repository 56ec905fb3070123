import { z } from 'zod';
import type { AuditEntry, AuditQuery } from '../../contract/console.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import { decodeCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { assertManagesEvent } from './assert-manages-event.js';

const AuditRow = z.object({
  id: z.string(),
  at: z.date(),
  actor_id: z.string().nullable(),
  actor_name: z.string().nullable(),
  action: z.string(),
  entity_type: z.string(),
  entity_id: z.string(),
  data: z.record(z.unknown()),
});

/** The id of the last row seen: digits only, so a forged cursor never reaches the bigint cast. */
function decodeAuditCursor(cursor: string): string {
  const [id] = decodeCursor(cursor, 1) as [string];
  if (!/^[1-9][0-9]{0,17}$/.test(id)) throw new AppError('VALIDATION_FAILED', 'malformed cursor', { field: 'cursor' });
  return id;
}

/**
 * GET /api/admin/events/:id/audit: who changed what in the event, newest first, keyset-paged by
 * the log's id through index audit_log_event (event_id, at). Read-only: the table is append-only.
 */
export async function listEventAudit(db: Db, actor: Actor, eventId: string, query: AuditQuery): Promise<Page<AuditEntry>> {
  await assertManagesEvent(db, actor, eventId);
  const before = query.cursor ? decodeAuditCursor(query.cursor) : null;
  const rows = await db.any(
    sql.type(AuditRow)`SELECT a.id::text AS id, a.at, a.actor_id, u.name AS actor_name, a.action, a.entity_type,
        a.entity_id, a.data
       FROM audit_log a LEFT JOIN users u ON u.id = a.actor_id
      WHERE a.event_id = ${eventId} ${before ? sql.fragment`AND a.id < ${before}::bigint` : sql.fragment``}
      ORDER BY a.id DESC LIMIT ${query.limit + 1}`,
  );
  return toPage(
    [...rows],
    query.limit,
    (r) => [r.id],
    (r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.actor_name,
      action: r.action,
      entityType: r.entity_type,
      entityId: r.entity_id,
      data: r.data,
    }),
  );
}
