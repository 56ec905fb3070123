import { Role } from '../../contract/primitives.js';
import type { AdminUser } from '../../contract/users-admin.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';
import { type EndSessionsContext, endUserSessions } from '../auth/end-user-sessions.js';
import { toAdminUser, USER_COLUMNS, UserRow } from './list-users.js';

/**
 * PATCH /api/admin/users/:id {role}. A change of role ends every session of that user after
 * the update commits (refresh tokens revoked, older access tokens refused, live sockets told and
 * closed), so no token keeps powers the account no longer has. Setting the role it already has
 * changes nothing and ends nothing. An admin cannot change its own role: that is how the last
 * admin would lock everyone out.
 */
export async function changeUserRole(
  ctx: EndSessionsContext & { pool: Pool },
  actor: Actor,
  userId: string,
  role: Role,
): Promise<AdminUser> {
  if (userId === actor.userId) throw new AppError('CONFLICT', 'you cannot change your own role');
  const { user, changed } = await withTransaction(ctx.pool, async (tx) => {
    const row = await tx.maybeOne(
      sql.type(UserRow.extend({ previous: Role }))`WITH old AS (SELECT id, role FROM users WHERE id = ${userId} FOR UPDATE)
       UPDATE users u SET role = ${role} FROM old WHERE u.id = old.id
       RETURNING ${USER_COLUMNS}, old.role AS previous`,
    );
    if (!row) throw new AppError('NOT_FOUND', 'no such user');
    if (row.previous !== role) {
      await writeAudit(tx, {
        actorId: actor.userId,
        action: 'user.role_changed',
        entityType: 'user',
        entityId: userId,
        data: { from: row.previous, to: role },
      });
    }
    return { user: toAdminUser(row), changed: row.previous !== role };
  });
  if (changed) await endUserSessions(ctx, userId, 'role_changed');
  return user;
}
