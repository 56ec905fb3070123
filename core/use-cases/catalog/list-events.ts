import type { EventListQuery, EventSummary } from '../../contract/http.js';
import type { Queryable } from '../../db/pool.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { EVENT_COLUMNS, type EventRow, toEventSummary } from './event-row.js';
import { isoMicrosSql } from './iso-micros-sql.js';
import { likePattern } from './like-pattern.js';

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

/**
 * The catalog: events that are not cancelled, soonest first, keyset-paged by (starts_at, id).
 * Without `from` only upcoming events are listed. Only the filters given become conditions, so
 * each query is planned for its own filters; the indexes of migration 1733000005000 serve them
 * in (starts_at, id) order.
 */
export async function listEvents(db: Queryable, now: Date, query: Partial<EventListQuery> = {}): Promise<Page<EventSummary>> {
  const limit = query.limit ?? 100;
  const run = async (strategy: TextStrategy) => {
    const { text, values } = eventListSql(now, query, limit, strategy);
    return (await db.query<EventRow & { at: string }>(text, values)).rows;
  };
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
): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where = ['e.cancelled_at IS NULL', `e.starts_at > ${param(query.from ?? now)}`];
  if (query.to) where.push(`e.starts_at < ${param(query.to)}`);
  if (query.venueId) where.push(`e.venue_id = ${param(query.venueId)}`);
  if (query.series) where.push(`e.series = ${param(query.series)}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(`(e.starts_at, e.id) > (${param(at)}::timestamptz, ${param(id)}::uuid)`);
  }
  // The expression of the trigram index events_catalog_text.
  const text = query.q ? `(e.name || ' ' || e.venue) ILIKE ${param(likePattern(query.q))}` : null;
  const outer: string[] = [];
  if (query.available) outer.push(`EXISTS (SELECT 1 FROM seats a WHERE a.event_id = e.id AND a.status = 'available')`);
  let from = 'events e';
  let cte = '';
  if (text && strategy === 'window') {
    from = `(SELECT * FROM events e WHERE ${where.join(' AND ')} ORDER BY e.starts_at, e.id LIMIT ${TEXT_WINDOW_ROWS}) e`;
    outer.push(text);
  } else if (text) {
    cte = `WITH m AS MATERIALIZED (SELECT e.id FROM events e WHERE ${text} AND e.cancelled_at IS NULL) `;
    from = 'm JOIN events e ON e.id = m.id';
    outer.push(...where);
  } else {
    outer.push(...where);
  }
  const sql = `${cte}SELECT ${EVENT_COLUMNS}, ${isoMicrosSql('e.starts_at')} AS at FROM ${from}
      ${outer.length ? `WHERE ${outer.join(' AND ')}` : ''}
      ORDER BY e.starts_at, e.id LIMIT ${param(limit + 1)}`;
  return { text: sql, values };
}
