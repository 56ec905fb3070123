import type { AdminUser, UserListQuery } from '../../contract/users-admin.js';
import type { Queryable } from '../../db/pool.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';
import { isoMicrosSql } from '../catalog/iso-micros-sql.js';
import { likePattern } from '../catalog/like-pattern.js';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: AdminUser['role'];
  created_at: Date;
}

export const USER_COLUMNS = 'u.id, u.email, u.name, u.role, u.created_at';

export function toAdminUser(r: UserRow): AdminUser {
  return { id: r.id, email: r.email, name: r.name, role: r.role, createdAt: r.created_at.toISOString() };
}

/** Accounts oldest first, keyset-paged by (created_at, id) through index users_created. */
export async function listUsers(db: Queryable, query: UserListQuery): Promise<Page<AdminUser>> {
  const values: unknown[] = [];
  const param = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  const where: string[] = [];
  if (query.q) {
    const p = param(likePattern(query.q));
    where.push(`(u.email ILIKE ${p} OR u.name ILIKE ${p})`);
  }
  if (query.role) where.push(`u.role = ${param(query.role)}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(`(u.created_at, u.id) > (${param(at)}::timestamptz, ${param(id)}::uuid)`);
  }
  const { rows } = await db.query<UserRow & { at: string }>(
    `SELECT ${USER_COLUMNS}, ${isoMicrosSql('u.created_at')} AS at FROM users u
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY u.created_at, u.id LIMIT ${param(query.limit + 1)}`,
    values,
  );
  return toPage(rows, query.limit, (r) => [r.at, r.id], toAdminUser);
}
