import { z } from 'zod';
import type { ManagedEvent, ManagedEventListQuery } from '../../contract/console.js';
import { isoMicrosSql } from '../../db/iso-micros-sql.js';
import { likePattern } from '../../db/like-pattern.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../domain/can-manage.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { EVENT_COLUMNS, EventRow, toEventSummary } from './event-row.js';

const ManagedRow = EventRow.extend({ at: z.string(), sold: z.number(), held: z.number() });

/**
 * The console's event list: every event the actor manages (admins: all; organizers: those they
 * own), past and cancelled ones included, latest start first, keyset-paged by (starts_at, id).
 */
export async function listManagedEvents(
  db: Db,
  actor: Actor,
  now: Date,
  query: ManagedEventListQuery,
): Promise<Page<ManagedEvent>> {
  const where = [sql.fragment`true`];
  if (actor.role !== 'admin') where.push(sql.fragment`e.owner_id = ${actor.userId}`);
  if (query.q) where.push(sql.fragment`(e.name || ' ' || e.venue) ILIKE ${likePattern(query.q)}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(sql.fragment`(e.starts_at, e.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db.any(
    sql.type(ManagedRow)`SELECT ${EVENT_COLUMNS}, ${isoMicrosSql(sql.identifier(['e', 'starts_at']))} AS at,
        (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'sold') AS sold,
        (SELECT count(*) FROM seats s WHERE s.event_id = e.id AND s.status = 'held') AS held
       FROM events e WHERE ${sql.join(where, sql.fragment` AND `)}
      ORDER BY e.starts_at DESC, e.id DESC LIMIT ${query.limit + 1}`,
  );
  return toPage(
    [...rows],
    query.limit,
    (r) => [r.at, r.id],
    (r) => ({ ...toEventSummary(r, now), sold: r.sold, held: r.held }),
  );
}
