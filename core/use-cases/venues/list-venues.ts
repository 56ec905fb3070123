import type { Venue, VenueListQuery } from '../../contract/venues.js';
import type { Queryable } from '../../db/pool.js';
import type { Actor } from '../../domain/can-manage.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { isoMicrosSql } from '../catalog/iso-micros-sql.js';
import { likePattern } from '../catalog/like-pattern.js';
import { toVenue, VENUE_COLUMNS, type VenueRow } from './venue-row.js';

/** Venues the actor manages (all for admins), oldest first, keyset-paged by (created_at, id). */
export async function listVenues(db: Queryable, actor: Actor, query: VenueListQuery): Promise<Page<Venue>> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (actor.role !== 'admin') where.push(`v.owner_id = ${param(actor.userId)}`);
  if (query.q) where.push(`v.name ILIKE ${param(likePattern(query.q))}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(`(v.created_at, v.id) > (${param(at)}::timestamptz, ${param(id)}::uuid)`);
  }
  const { rows } = await db.query<VenueRow & { at: string }>(
    `SELECT ${VENUE_COLUMNS}, ${isoMicrosSql('v.created_at')} AS at
       FROM venues v ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY v.created_at, v.id LIMIT ${param(query.limit + 1)}`,
    values,
  );
  return toPage(rows, query.limit, (r) => [r.at, r.id], toVenue);
}
