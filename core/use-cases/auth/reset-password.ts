import { hashPassword } from '../../auth/passwords.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { spendAccountToken } from './account-tokens.js';
import { type EndSessionsContext, endUserSessions } from './end-user-sessions.js';

/**
 * Sets a new password from a mailed reset link (single use, 30 minutes by default) and ends
 * every session of the account: whoever knew the old password is signed out everywhere.
 */
export async function resetPassword(
  ctx: EndSessionsContext & { pool: Pool },
  body: { token: string; password: string },
): Promise<void> {
  const hash = await hashPassword(body.password);
  const userId = await withTransaction(ctx.pool, async (tx) => {
    const owner = await spendAccountToken(tx, 'password_reset', body.token);
    if (!owner) return null;
    await tx.query(sql.typeAlias('void')`UPDATE users SET password_hash = ${hash} WHERE id = ${owner}`);
    await writeAudit(tx, { actorId: owner, action: 'user.password_reset', entityType: 'user', entityId: owner });
    return owner;
  });
  if (!userId) throw new AppError('VALIDATION_FAILED', 'this link is not valid (used, expired or unknown)', { field: 'token' });
  await endUserSessions(ctx, userId, 'password_reset');
}

/** Marks the account's email verified from a mailed link (single use). */
export async function verifyEmail(ctx: { pool: Pool }, token: string): Promise<void> {
  const done = await withTransaction(ctx.pool, async (tx) => {
    const owner = await spendAccountToken(tx, 'email_verification', token);
    if (!owner) return false;
    await tx.query(sql.typeAlias('void')`UPDATE users SET email_verified = true WHERE id = ${owner}`);
    await writeAudit(tx, { actorId: owner, action: 'user.email_verified', entityType: 'user', entityId: owner });
    return true;
  });
  if (!done) throw new AppError('VALIDATION_FAILED', 'this link is not valid (used, expired or unknown)', { field: 'token' });
}
