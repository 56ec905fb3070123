import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool } from '../../core/db/pool.js';
import { sql } from '../../core/db/sql.js';
import { seatsHeldOrOwned } from '../../core/use-cases/seats/seats-held-or-owned.js';
import { createTestEnv } from '../support/test-env.js';

let url: string;
let pool: Pool;

beforeAll(async () => {
  url = (await createTestEnv()).databaseUrl;
  pool = createPool(url, 2);
});
afterAll(() => pool?.end());

/** Every index a JSON plan reads. */
function indexesOf(plan: unknown): string[] {
  if (Array.isArray(plan)) return plan.flatMap(indexesOf);
  if (!plan || typeof plan !== 'object') return [];
  const node = plan as Record<string, unknown>;
  return [...(typeof node['Index Name'] === 'string' ? [node['Index Name']] : []), ...Object.values(node).flatMap(indexesOf)];
}

describe("a hold batch's per-user allowance count (seatsHeldOrOwned)", () => {
  it('reads only the per-user indexes on tables never analyzed, and after ANALYZE', async () => {
    // One event with 800 live holds and 800 confirmed bookings of other users: the size at which
    // the planner, without statistics, read every one of them once per user of a batch.
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    let eventId: string;
    try {
      const ev = await db.query(
        `INSERT INTO events (name, venue, starts_at, sale_starts_at, max_seats_per_user, hold_ttl_seconds, capacity,
           admission_max_active, admission_admit_per_tick, admission_tick_ms, admission_session_ttl_seconds)
         VALUES ('e', 'v', now() + interval '1 day', now(), 6, 300, 1, 10, 1, 1000, 60) RETURNING id`,
      );
      eventId = ev.rows[0].id;
      await db.query('BEGIN');
      await db.query('SET LOCAL session_replication_role = replica'); // no users, holds or seats behind them
      await db.query(
        `INSERT INTO holds (event_id, user_id, seat_count, total_cents, expires_at)
         SELECT $1, gen_random_uuid(), 1, 100, now() + interval '5 minutes' FROM generate_series(1, 800)`,
        [eventId],
      );
      await db.query(
        `INSERT INTO bookings (reference, event_id, user_id, hold_id, total_cents)
         SELECT 'REF-' || lpad(g::text, 6, '0'), $1, gen_random_uuid(), gen_random_uuid(), 100 FROM generate_series(1, 800) g`,
        [eventId],
      );
      await db.query('COMMIT');
    } finally {
      await db.end();
    }
    const users = Array.from({ length: 100 }, () => randomUUID());
    const plan = async () => {
      const rows = await pool.any(
        sql.unsafe`EXPLAIN (FORMAT JSON) SELECT ${seatsHeldOrOwned({ userId: sql.fragment`u.id`, eventId: sql.fragment`e.id` })} AS n
          FROM unnest(${sql.array(users, 'uuid')}) AS u(id), events e WHERE e.id = ${eventId}`,
      );
      return indexesOf(rows.map((r) => r['QUERY PLAN']));
    };
    const expected = ['holds_active_user', 'bookings_confirmed_user_event'];
    const unanalyzed = await plan();
    expect(unanalyzed).toEqual(expect.arrayContaining(expected));
    expect(unanalyzed).not.toContain('holds_active_expiry');
    expect(unanalyzed).not.toContain('bookings_event_created');
    await pool.query(sql.unsafe`ANALYZE holds, bookings`);
    const analyzed = await plan();
    expect(analyzed).toEqual(expect.arrayContaining(expected));
    expect(analyzed).not.toContain('holds_active_expiry');
    expect(analyzed).not.toContain('bookings_event_created');
  });
});
