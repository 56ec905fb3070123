import { z } from 'zod';
import type { Principal } from '../../auth/access-tokens.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import type { ChangePasswordBody } from '../../contract/accounts.js';
import { sql } from '../../db/sql.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { endOtherSessions } from './end-session.js';
import type { EndSessionsContext } from './end-user-sessions.js';
import { endUserSessions } from './end-user-sessions.js';

/**
 * A new password, given the current one; every other session of the account ends (the one
 * asking stays signed in). Wrong current password: UNAUTHENTICATED, nothing changes.
 */
export async function changePassword(
  ctx: EndSessionsContext & { accessTokenTtlSeconds: number },
  principal: Principal,
  body: ChangePasswordBody,
): Promise<void> {
  const current = await ctx.pool.maybeOneFirst(
    sql.type(z.object({ password_hash: z.string() }))`SELECT password_hash FROM users WHERE id = ${principal.userId}`,
  );
  if (!current || !(await verifyPassword(current, body.currentPassword))) {
    throw new AppError('UNAUTHENTICATED', 'the current password is wrong', { field: 'currentPassword' });
  }
  const hash = await hashPassword(body.newPassword);
  await ctx.pool.query(sql.typeAlias('void')`UPDATE users SET password_hash = ${hash} WHERE id = ${principal.userId}`);
  await writeAudit(ctx.pool, {
    actorId: principal.userId,
    action: 'user.password_changed',
    entityType: 'user',
    entityId: principal.userId,
  });
  if (principal.sessionId) {
    await endOtherSessions(ctx, principal.userId, principal.sessionId, ctx.accessTokenTtlSeconds, 'password_changed');
  } else {
    // A token from before sessions had ids: no way to tell its session apart, so all of them end.
    await endUserSessions(ctx, principal.userId, 'password_changed');
  }
}
