/**
 * Catalog search on a generated catalog: EXPLAIN ANALYZE of the exact statements GET /api/events
 * runs (eventListSql), plus the median time of the whole listEvents call, per filter.
 *
 *   npx tsx scripts/bench-catalog.ts [--events 100000] [--seats-per-event 10] [--runs 20] [--keep] [--reuse]
 *
 * A fresh database (migrated like production) gets N events over the next two years: names from
 * a few hundred productions, 2,000 venues, a third in a series, one in ten sold out (every seat
 * held), a few cancelled. Prints planning and execution time and the plan's top node per query.
 */
import { parseArgs } from 'node:util';
import type { QuerySqlToken } from 'slonik';
import { z } from 'zod';
import type { EventListQuery } from '../core/contract/http.js';
import { migrate } from '../core/db/migrate.js';
import { createPool } from '../core/db/pool.js';
import { sql } from '../core/db/sql.js';
import { eventListSql, listEvents } from '../core/use-cases/catalog/list-events.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'seats-per-event': { type: 'string', default: '10' },
    runs: { type: 'string', default: '20' },
    keep: { type: 'boolean', default: false },
    /** Use the catalog a previous --keep run left (skips the minute of generation). */
    reuse: { type: 'boolean', default: false },
  },
});
const EVENTS = Number(values.events);
const SEATS = Number(values['seats-per-event']);
const RUNS = Number(values.runs);
const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'evently_bench_catalog';

function urlFor(name: string): string {
  const u = new URL(ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(statement: QuerySqlToken) {
  const c = createPool(ADMIN_URL, 1);
  try {
    await c.query(statement);
  } finally {
    await c.end();
  }
}

const db = sql.identifier([DB]);

const now = new Date();
if (!values.reuse) await generate();
const pool = createPool(urlFor(DB), 4);
const counts = await pool.one(
  sql.type(z.object({ events: z.number(), seats: z.number() }))`SELECT (SELECT count(*) FROM events) AS events,
    (SELECT count(*) FROM seats) AS seats`,
);
console.log(`catalog of ${counts.events} events, ${counts.seats} seats`);

async function generate() {
  await admin(sql.typeAlias('void')`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await admin(sql.typeAlias('void')`CREATE DATABASE ${db}`);
  await migrate(urlFor(DB));
  const pool = createPool(urlFor(DB), 4);
  const t0 = Date.now();
  await pool.query(
    sql.typeAlias('void')`INSERT INTO users (email, name, password_hash) VALUES ('bench@evently.test', 'Bench', '$argon2id$x')`,
  );
  await pool.query(
    sql.typeAlias('void')`INSERT INTO venues (owner_id, name, address, sections, capacity)
   SELECT (SELECT id FROM users LIMIT 1), 'Venue ' || v || CASE WHEN v % 7 = 0 THEN ' Arena' ELSE ' Hall' END, '', '[]', 1
     FROM generate_series(1, 2000) v`,
  );
  // Events: starts spread over two years from now, one in three in a series of its production.
  const at = now.toISOString();
  await pool.query(
    sql.typeAlias('void')`WITH v AS (SELECT id, name, row_number() OVER (ORDER BY id) AS n FROM venues)
   INSERT INTO events (name, venue, venue_id, series, starts_at, sale_starts_at, max_seats_per_user, hold_ttl_seconds,
     capacity, admission_max_active, admission_admit_per_tick, admission_tick_ms, admission_session_ttl_seconds,
     cancelled_at, refund_percent)
   SELECT 'Production ' || (i % 400) || CASE WHEN i % 400 = 7 THEN ' Hamlet' ELSE '' END || ' night ' || i,
          v.name, v.id, CASE WHEN i % 3 = 0 THEN 'Series ' || (i % 400) END,
          ${at}::timestamptz + (i * interval '631 seconds'), ${at}::timestamptz, 6, 300, ${SEATS}::int, 500, 50, 1000, 900,
          CASE WHEN i % 97 = 0 THEN ${at}::timestamptz END, 100
     FROM generate_series(1, ${EVENTS}::int) i JOIN v ON v.n = 1 + (i % 2000)`,
  );
  await pool.query(
    sql.typeAlias('void')`INSERT INTO sections (event_id, name, position, price_cents, rows, seats_per_row)
   SELECT id, 'Main', 0, 2500, 1, ${SEATS}::int FROM events`,
  );
  await pool.query(
    sql.typeAlias('void')`INSERT INTO seats (event_id, section_id, row, number)
   SELECT s.event_id, s.id, 1, n FROM sections s, generate_series(1, ${SEATS}::int) n`,
  );
  // One event in ten is sold out: a hold covers all its seats.
  await pool.query(
    sql.typeAlias('void')`WITH sold AS (SELECT id FROM events WHERE (hashtext(id::text) % 10) = 0),
        h AS (INSERT INTO holds (event_id, user_id, seat_count, total_cents, expires_at)
              SELECT id, (SELECT id FROM users LIMIT 1), ${SEATS}::int, 0, now() + interval '1 day' FROM sold RETURNING id, event_id)
   UPDATE seats s SET status = 'held', hold_id = h.id FROM h WHERE s.event_id = h.event_id`,
  );
  await pool.query(sql.typeAlias('void')`VACUUM ANALYZE`);
  console.log(`generated in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await pool.end();
}

const venueId = await pool.oneFirst(sql.type(z.object({ id: z.string() }))`SELECT id FROM venues WHERE name = 'Venue 42 Arena'`);
const middle = (await listEvents(pool, now, { limit: 100, from: new Date(now.getTime() + 200 * 86_400_000).toISOString() }))
  .nextCursor as string;
const cases: [string, Partial<EventListQuery>][] = [
  ['q=e (one letter, all match)', { q: 'e' }],
  ['first page, no filter', {}],
  ['page after a cursor 200 days in', { cursor: middle }],
  ['q=hamlet (name, 250 matches)', { q: 'hamlet' }],
  ['q=arena (venue, ~14% of events)', { q: 'arena' }],
  ['q=night 99999 (one match)', { q: 'night 99999' }],
  ['q=zzz (no match)', { q: 'zzz' }],
  ['series=Series 42', { series: 'Series 42' }],
  ['venueId=<one venue>', { venueId }],
  ['from/to: one week in a year', { from: iso(365), to: iso(372) }],
  ['available=true', { available: true }],
  ['q=arena&available=true&from/to 90 days', { q: 'arena', available: true, from: iso(30), to: iso(120) }],
];
function iso(days: number) {
  return new Date(now.getTime() + days * 86_400_000).toISOString();
}

console.log(`\nGET /api/events, limit 100 (server-side listEvents; EXPLAIN ANALYZE of the same statement)`);
console.log('| query | rows | statements: scan (execution ms) | listEvents median ms |');
console.log('|---|---|---|---|');
for (const [label, q] of cases) {
  // What listEvents runs: the window statement, and the match statement when the window did not fill the page.
  const explained: string[] = [];
  for (const strategy of ['window', 'match'] as const) {
    const statement = eventListSql(now, { limit: 100, ...q }, 100, strategy);
    const plan = (
      await pool.oneFirst(
        sql.type(z.object({ 'QUERY PLAN': z.array(z.any()) }))`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement}`,
      )
    )[0];
    explained.push(
      `${strategy}: ${findScan(plan.Plan)} (${plan['Execution Time'].toFixed(2)}, planning ${plan['Planning Time'].toFixed(2)})`,
    );
    if (!q.q || plan.Plan['Actual Rows'] > 100) break;
  }
  const times: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    rows = (await listEvents(pool, now, { limit: 100, ...q })).items.length;
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${label} | ${rows} | ${explained.join('; ')} | ${(times[Math.floor(times.length / 2)] as number).toFixed(2)} |`);
}

/** The first scan node of the plan that reads events (which index served the query). */
function findScan(node: any): string {
  if (node['Relation Name'] === 'events') return `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
  for (const child of node.Plans ?? []) {
    const found = findScan(child);
    if (found) return found;
  }
  return '';
}

await pool.end();
if (!values.keep) await admin(sql.typeAlias('void')`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
