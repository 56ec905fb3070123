import type { Queryable } from '../../db/pool.js';

export interface AccessCodeFigures {
  presale: { codes: number; uses: number; usesInRange: number };
  bypass: { codes: number; uses: number; usesInRange: number };
}

/** Codes issued and uses (all time, and in [from, to)), per kind, for one event or all. */
export async function findAccessCodeFigures(
  db: Queryable,
  from: Date,
  to: Date,
  eventId: string | null,
): Promise<AccessCodeFigures> {
  const { rows } = await db.query<{ kind: 'presale' | 'bypass'; codes: number; uses: number; in_range: number }>(
    `SELECT c.kind, count(*)::int8 AS codes, coalesce(sum(c.uses), 0)::int8 AS uses,
            (SELECT count(*) FROM access_code_uses u JOIN access_codes k ON k.id = u.code_id
              WHERE k.kind = c.kind AND ($3::uuid IS NULL OR u.event_id = $3::uuid)
                AND u.used_at >= $1 AND u.used_at < $2)::int8 AS in_range
       FROM access_codes c WHERE ($3::uuid IS NULL OR c.event_id = $3::uuid) GROUP BY c.kind`,
    [from, to, eventId],
  );
  const figures: AccessCodeFigures = {
    presale: { codes: 0, uses: 0, usesInRange: 0 },
    bypass: { codes: 0, uses: 0, usesInRange: 0 },
  };
  for (const r of rows) figures[r.kind] = { codes: r.codes, uses: r.uses, usesInRange: r.in_range };
  return figures;
}
