import { dbQuery } from './db-query.js';

/**
 * What a refused request must leave as it was: every seat's status and version, holds, bookings,
 * users and their roles, events and their settings, venues, waitlist entries, idempotency keys.
 * Compare two of them with toEqual.
 */
export async function stateFingerprint(databaseUrl: string): Promise<unknown> {
  const [row] = await dbQuery(
    databaseUrl,
    `SELECT
       (SELECT json_agg(json_build_object('id', id, 's', status, 'v', version) ORDER BY id) FROM seats) AS seats,
       (SELECT json_agg(json_build_object('id', id, 's', status) ORDER BY id) FROM holds) AS holds,
       (SELECT json_agg(json_build_object('id', id, 's', status) ORDER BY id) FROM bookings) AS bookings,
       (SELECT json_agg(json_build_object('id', id, 'r', role, 'e', email) ORDER BY id) FROM users) AS users,
       (SELECT json_agg(to_jsonb(e) - 'updated_at' ORDER BY id) FROM events e) AS events,
       (SELECT json_agg(to_jsonb(v) - 'updated_at' ORDER BY id) FROM venues v) AS venues,
       (SELECT count(*) FROM waitlist_entries) AS waitlist,
       (SELECT count(*) FROM idempotency_records) AS keys`,
  );
  return row;
}
