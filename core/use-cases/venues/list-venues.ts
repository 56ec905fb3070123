import { z } from 'zod';
import type { Venue, VenueListQuery } from '../../contract/venues.js';
import { isoMicrosSql } from '../../db/iso-micros-sql.js';
import { likePattern } from '../../db/like-pattern.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { Actor } from '../../domain/can-manage.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { toVenue, VENUE_COLUMNS, VenueRow } from './venue-row.js';

const PagedVenueRow = VenueRow.extend({ at: z.string() });

/** Venues the actor manages (all for admins), oldest first, keyset-paged by (created_at, id). */
export async function listVenues(db: Db, actor: Actor, query: VenueListQuery): Promise<Page<Venue>> {
  const where = [sql.fragment`true`];
  if (actor.role !== 'admin') where.push(sql.fragment`v.owner_id = ${actor.userId}`);
  if (query.q) where.push(sql.fragment`v.name ILIKE ${likePattern(query.q)}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(sql.fragment`(v.created_at, v.id) > (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db.any(
    sql.type(PagedVenueRow)`SELECT ${VENUE_COLUMNS}, ${isoMicrosSql(sql.identifier(['v', 'created_at']))} AS at
       FROM venues v WHERE ${sql.join(where, sql.fragment` AND `)}
      ORDER BY v.created_at, v.id LIMIT ${query.limit + 1}`,
  );
  return toPage([...rows], query.limit, (r) => [r.at, r.id], toVenue);
}
