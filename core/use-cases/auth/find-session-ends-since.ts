import { z } from 'zod';
import type { SessionsEndedMessage } from '../../auth/ended-sessions.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

const Row = z.object({ user_id: z.string(), session_id: z.string().nullable(), at_ms: z.number(), reason: z.string() });

/**
 * The ends recorded in Postgres since `sinceMs` (a range scan of session_ends_ended_at: only
 * ends younger than the access-token lifetime are asked for, and older rows are deleted).
 */
export async function findSessionEndsSince(db: Db, sinceMs: number): Promise<SessionsEndedMessage[]> {
  const rows = await db.any(
    sql.type(Row)`SELECT user_id, session_id, (extract(epoch FROM ended_at) * 1000)::float8 AS at_ms, reason
       FROM session_ends WHERE ended_at >= ${new Date(sinceMs).toISOString()}::timestamptz`,
  );
  return rows.map((r) => ({
    userId: r.user_id,
    ...(r.session_id ? { sessionId: r.session_id } : {}),
    atMs: Math.round(r.at_ms),
    reason: r.reason,
  }));
}
