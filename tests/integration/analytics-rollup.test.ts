import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type Pool, type Queryable } from '../../core/db/pool.js';
import { rollUpAuditLog } from '../../core/use-cases/analytics/roll-up-audit-log.js';
import { createTestEnv } from '../support/test-env.js';
import { waitUntil } from '../support/wait-until.js';

let pool: Pool;

beforeAll(async () => {
  const t = await createTestEnv();
  pool = createPool(t.databaseUrl, 12);
});
afterAll(() => pool?.end());

/** One `booking.confirmed` audit entry, as the confirm use case writes it; returns its id. */
async function insertConfirmed(db: Queryable, eventId: string, totalCents: number): Promise<number> {
  const { rows } = await db.query<{ id: number }>(
    `INSERT INTO audit_log (action, event_id, entity_type, entity_id, data)
     VALUES ('booking.confirmed', $1, 'booking', $2, jsonb_build_object('totalCents', $3::int)) RETURNING id`,
    [eventId, randomUUID(), totalCents],
  );
  return (rows[0] as { id: number }).id;
}

/**
 * Rolls up until the totals reach `confirms` (any transaction still running anywhere in the
 * cluster, e.g. another test file's, holds the snapshot's xmin back for a moment).
 */
async function rollUpUntil(eventId: string, confirms: number) {
  return waitUntil(`${confirms} confirms rolled up`, async () => {
    await rollUpAuditLog(pool);
    const t = await totals(eventId);
    return t.confirms >= confirms ? t : null;
  });
}

async function totals(eventId: string) {
  const { rows } = await pool.query('SELECT confirms, revenue_cents FROM analytics_event_totals WHERE event_id = $1', [eventId]);
  return rows[0] ?? { confirms: 0, revenue_cents: 0 };
}

describe('audit log roll-up', () => {
  it('counts an entry whose transaction commits after a later id was already rolled up', async () => {
    const eventId = randomUUID();
    const slow = await pool.connect();
    try {
      await slow.query('BEGIN');
      const early = await insertConfirmed(slow, eventId, 100);
      const late = await insertConfirmed(pool, eventId, 10);
      expect(late).toBeGreaterThan(early);
      await rollUpAuditLog(pool);
      // Not counted yet: the slow transaction is still running, and nothing after it either.
      expect(await totals(eventId)).toEqual({ confirms: 0, revenue_cents: 0 });
      await slow.query('COMMIT');
    } finally {
      slow.release();
    }
    expect(await rollUpUntil(eventId, 2)).toEqual({ confirms: 2, revenue_cents: 110 });
    await rollUpAuditLog(pool);
    expect(await totals(eventId)).toEqual({ confirms: 2, revenue_cents: 110 });
  });

  it('skips rolled-back entries and counts each committed one once under concurrent roll-ups', async () => {
    const eventId = randomUUID();
    const aborted = await pool.connect();
    await aborted.query('BEGIN');
    await insertConfirmed(aborted, eventId, 5000);
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; i < 25; i++) await insertConfirmed(pool, eventId, w + 1);
    });
    const rollers = Array.from({ length: 3 }, async () => {
      for (let i = 0; i < 10; i++) await rollUpAuditLog(pool);
    });
    await Promise.all([...writers, ...rollers]);
    await aborted.query('ROLLBACK');
    aborted.release();
    await Promise.all([rollUpAuditLog(pool), rollUpAuditLog(pool)]);
    // 25 entries from each of 8 writers paying 1..8 cents; the rolled-back one never counts.
    expect(await rollUpUntil(eventId, 200)).toEqual({ confirms: 200, revenue_cents: 25 * 36 });
    await Promise.all([rollUpAuditLog(pool), rollUpAuditLog(pool)]);
    expect(await totals(eventId)).toEqual({ confirms: 200, revenue_cents: 25 * 36 });
    const { rows } = await pool.query('SELECT sum(confirms)::int AS n FROM analytics_minutes WHERE event_id = $1', [eventId]);
    expect(rows[0].n).toBe(200);
  });
});
