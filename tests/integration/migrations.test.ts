import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../core/db/migrate.js';
import { adminDatabaseUrl, databaseUrlFor } from '../support/services.js';

const name = `evently_mig_${randomBytes(4).toString('hex')}`;
const url = databaseUrlFor(name);

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminDatabaseUrl() });
  await c.connect();
  await c.query(sql).finally(() => c.end());
}

afterAll(() => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));

describe('migrations', () => {
  it('apply once under the advisory lock when several processes start together, then are a no-op', async () => {
    await admin(`CREATE DATABASE ${name}`);
    const runs = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const applied = runs.flat();
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied).size).toBe(applied.length); // nothing applied twice
    expect(runs.filter((r) => r.length > 0)).toHaveLength(1);
    expect(await migrate(url)).toEqual([]);
  });

  it('make the audit log append-only and illegal seat states impossible', async () => {
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      await db.query(`INSERT INTO audit_log (action, entity_type, entity_id) VALUES ('test', 'x', '1')`);
      await expect(db.query('UPDATE audit_log SET action = $1', ['changed'])).rejects.toThrow(/append-only/);
      await expect(db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
      const ev = await db.query(
        `INSERT INTO events (name, venue, starts_at, sale_starts_at, max_seats_per_user, hold_ttl_seconds, capacity,
           admission_max_active, admission_admit_per_tick, admission_tick_ms, admission_session_ttl_seconds)
         VALUES ('e', 'v', now() + interval '1 day', now(), 6, 300, 1, 10, 1, 1000, 60) RETURNING id`,
      );
      const sec = await db.query(
        `INSERT INTO sections (event_id, name, position, price_cents, rows, seats_per_row) VALUES ($1, 'A', 0, 100, 1, 1) RETURNING id`,
        [ev.rows[0].id],
      );
      // held without a hold, sold without a booking: rejected by the CHECK
      for (const status of ['held', 'sold', 'lost']) {
        await expect(
          db.query(`INSERT INTO seats (event_id, section_id, row, number, status) VALUES ($1, $2, 1, 1, $3)`, [
            ev.rows[0].id,
            sec.rows[0].id,
            status,
          ]),
        ).rejects.toMatchObject({ code: '23514' });
      }
    } finally {
      await db.end();
    }
  });
});
