import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const FiguresRow = z.object({ kind: z.enum(['presale', 'bypass']), codes: z.number(), uses: z.number(), in_range: z.number() });

export interface AccessCodeFigures {
  presale: { codes: number; uses: number; usesInRange: number };
  bypass: { codes: number; uses: number; usesInRange: number };
}

/** Codes issued and uses (all time, and in [from, to)), per kind, for one event, one owner's events or all. */
export async function findAccessCodeFigures(
  db: Db,
  from: Date,
  to: Date,
  eventId: string | null,
  ownerId: string | null = null,
): Promise<AccessCodeFigures> {
  const owned = sql.fragment`(${ownerId}::uuid IS NULL OR c.event_id IN (SELECT id FROM events WHERE owner_id = ${ownerId}::uuid))`;
  const rows = await db.any(
    sql.type(FiguresRow)`SELECT c.kind, count(*)::int8 AS codes, coalesce(sum(c.uses), 0)::int8 AS uses,
            (SELECT count(*) FROM access_code_uses u JOIN access_codes k ON k.id = u.code_id
              WHERE k.kind = c.kind AND (${eventId}::uuid IS NULL OR u.event_id = ${eventId}::uuid)
                AND (${ownerId}::uuid IS NULL OR u.event_id IN (SELECT id FROM events WHERE owner_id = ${ownerId}::uuid))
                AND u.used_at >= ${from.toISOString()}::timestamptz AND u.used_at < ${to.toISOString()}::timestamptz)::int8 AS in_range
       FROM access_codes c WHERE (${eventId}::uuid IS NULL OR c.event_id = ${eventId}::uuid) AND ${owned} GROUP BY c.kind`,
  );
  const figures: AccessCodeFigures = {
    presale: { codes: 0, uses: 0, usesInRange: 0 },
    bypass: { codes: 0, uses: 0, usesInRange: 0 },
  };
  for (const r of rows) figures[r.kind] = { codes: r.codes, uses: r.uses, usesInRange: r.in_range };
  return figures;
}
