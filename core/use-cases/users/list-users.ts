import { z } from 'zod';
import { Role } from '../../contract/primitives.js';
import type { AdminUser, UserListQuery } from '../../contract/users-admin.js';
import { isoMicrosSql } from '../../db/iso-micros-sql.js';
import { likePattern } from '../../db/like-pattern.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { decodeTimeIdCursor, type Page, toPage } from '../../domain/page-cursor.js';

export const UserRow = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: Role,
  email_verified: z.boolean(),
  created_at: z.date(),
});
export type UserRow = z.infer<typeof UserRow>;

export const USER_COLUMNS = sql.fragment`u.id, u.email, u.name, u.role, u.email_verified, u.created_at`;
const PagedUserRow = UserRow.extend({ at: z.string() });

export function toAdminUser(r: UserRow): AdminUser {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    emailVerified: r.email_verified,
    createdAt: r.created_at.toISOString(),
  };
}

/** Accounts oldest first, keyset-paged by (created_at, id) through index users_created. */
export async function listUsers(db: Db, query: UserListQuery): Promise<Page<AdminUser>> {
  const where = [sql.fragment`true`];
  if (query.q) {
    const p = likePattern(query.q);
    where.push(sql.fragment`(u.email ILIKE ${p} OR u.name ILIKE ${p})`);
  }
  if (query.role) where.push(sql.fragment`u.role = ${query.role}`);
  if (query.cursor) {
    const [at, id] = decodeTimeIdCursor(query.cursor);
    where.push(sql.fragment`(u.created_at, u.id) > (${at}::timestamptz, ${id}::uuid)`);
  }
  const rows = await db.any(
    sql.type(PagedUserRow)`SELECT ${USER_COLUMNS}, ${isoMicrosSql(sql.identifier(['u', 'created_at']))} AS at FROM users u
      WHERE ${sql.join(where, sql.fragment` AND `)}
      ORDER BY u.created_at, u.id LIMIT ${query.limit + 1}`,
  );
  return toPage([...rows], query.limit, (r) => [r.at, r.id], toAdminUser);
}
