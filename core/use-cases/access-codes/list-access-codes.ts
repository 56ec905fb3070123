import { z } from 'zod';
import type { AccessCodeSummary } from '../../contract/console.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../domain/can-manage.js';
import { assertManagesEvent } from '../catalog/assert-manages-event.js';

const CodeRow = z.object({
  id: z.string(),
  kind: z.enum(['presale', 'bypass']),
  max_uses: z.number(),
  uses: z.number(),
  created_at: z.date(),
});

/** GET /api/admin/events/:id/access-codes: the event's codes, newest first; plain codes are never kept. */
export async function listAccessCodes(db: Db, actor: Actor, eventId: string): Promise<AccessCodeSummary[]> {
  await assertManagesEvent(db, actor, eventId);
  const rows = await db.any(
    sql.type(CodeRow)`SELECT id, kind, max_uses, uses, created_at FROM access_codes
      WHERE event_id = ${eventId} ORDER BY created_at DESC, id LIMIT 5000`,
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    maxUses: r.max_uses,
    uses: r.uses,
    usesLeft: r.max_uses - r.uses,
    createdAt: r.created_at.toISOString(),
  }));
}
