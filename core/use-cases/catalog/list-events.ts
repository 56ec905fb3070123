import type { FragmentSqlToken, QuerySqlToken } from 'slonik';
import { z } from 'zod';
import type { EventListQuery, EventSummary } from '../../contract/http.js';
import { isoMicrosSql } from '../../db/iso-micros-sql.js';
import { likePattern } from '../../db/like-pattern.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { EVENT_COLUMNS, EventRow, toEventSummary } from './event-row.js';

/**
 * How a text search finds its page:
 * - `window`: walk the catalog in (starts_at, id) order through the btree, at most
 *   TEXT_WINDOW_ROWS rows, keeping those whose text matches. Cheap when the term is common.
 * - `match`: collect every matching row through the trigram index first, then sort. Cheap when
 *   the term is rare.
 * Postgres cannot tell the two apart (its ILIKE estimates on trigram indexes were off by 100x
 * both ways on the generated catalog: 'zzz' took 400 ms through the btree), so listEvents tries
 * `window` and falls back to `match` when the window did not fill the page.
 */
export type TextStrategy = 'window' | 'match';
export const TEXT_WINDOW_ROWS = 1000;

const PagedEventRow = EventRow.extend({ at: z.string() });

/**
 * The catalog: events that are not cancelled, soonest first, keyset-paged by (starts_at, id).
 * Without `from` only upcoming events are listed. Only the filters given become conditions, so
 * each query is planned for its own filters; the indexes of migration 1733000005000 serve them
 * in (starts_at, id) order.
 */
export async function listEvents(db: Db, now: Date, query: Partial<EventListQuery> = {}): Promise<Page<EventSummary>> {
  const limit = query.limit ?? 100;
  const run = async (strategy: TextStrategy) => [...(await db.any(eventListSql(now, query, limit, strategy)))];
  let rows = await run('window');
  if (query.q && rows.length <= limit) rows = await run('match');
  return toPage(
    rows,
    limit,
    (r) => [r.at, r.id],
    (r) => toEventSummary(r, now),
  );
}

/** The statement of one catalog page (limit + 1 rows); exported so the benchmark EXPLAINs the same text. */
export function eventListSql(
  now: Date,
  query: Partial<EventListQuery>,
  limit: number,
  strategy: TextStrategy,
): QuerySqlToken<typeof PagedEventRow> {
  const and = (parts: readonly FragmentSqlToken[]) => sql.join(parts, sql.fragment` AND `);
  const where = [
    sql.fragment`e.cancelled_at IS NULL`,
    sql.fragment`e.starts_at > ${query.from ?? now.toISOString()}::timestamptz`,
  ];
  if (query.to) where.push(sql.fragment`e.starts_at < ${query.to}::timestamptz`);
  if (query.venueId) where.push(sql.fragment`e.venue_id = ${query.venueId}`);
  if (query.series) where.push(sql.fragment`e.series = ${query.series}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(sql.fragment`(e.starts_at, e.id) > (${at}::timestamptz, ${id}::uuid)`);
  }
  // The expression of the trigram index events_catalog_text.
  const text = query.q ? sql.fragment`(e.name || ' ' || e.venue) ILIKE ${likePattern(query.q)}` : null;
  const outer: FragmentSqlToken[] = [];
  if (query.available)
    outer.push(sql.fragment`EXISTS (SELECT 1 FROM seats a WHERE a.event_id = e.id AND a.status = 'available')`);
  let from = sql.fragment`events e`;
  let cte = sql.fragment``;
  if (text && strategy === 'window') {
    from = sql.fragment`(SELECT * FROM events e WHERE ${and(where)} ORDER BY e.starts_at, e.id LIMIT ${TEXT_WINDOW_ROWS}) e`;
    outer.push(text);
  } else if (text) {
    cte = sql.fragment`WITH m AS MATERIALIZED (SELECT e.id FROM events e WHERE ${text} AND e.cancelled_at IS NULL) `;
    from = sql.fragment`m JOIN events e ON e.id = m.id`;
    outer.push(...where);
  } else {
    outer.push(...where);
  }
  return sql.type(
    PagedEventRow,
  )`${cte}SELECT ${EVENT_COLUMNS}, ${isoMicrosSql(sql.identifier(['e', 'starts_at']))} AS at FROM ${from}
      ${outer.length ? sql.fragment`WHERE ${and(outer)}` : sql.fragment``}
      ORDER BY e.starts_at, e.id LIMIT ${limit + 1}`;
}
