import { z } from 'zod';
import type { Principal } from '../../auth/access-tokens.js';
import { Role } from '../../contract/primitives.js';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';

/**
 * The actor behind a verified access token with the role the account has *now*: an access token
 * lives up to ACCESS_TOKEN_TTL_SECONDS, and a demoted organizer or admin must lose its powers at
 * once, not when the token expires. A token signed for another role than the account's is dead:
 * an account promoted behind the sessions' back (ADMIN_EMAIL at start-up) must not turn the
 * tokens it had as a plain user, perhaps stolen, into admin tokens. One primary-key read per
 * staff request.
 */
export async function getCurrentActor(db: Db, principal: Principal): Promise<Actor> {
  const role = await db.maybeOneFirst(sql.type(z.object({ role: Role }))`SELECT role FROM users WHERE id = ${principal.userId}`);
  if (!role) throw new AppError('UNAUTHENTICATED', 'account no longer exists');
  if (role !== principal.role) {
    throw new AppError('UNAUTHENTICATED', 'the role of this account changed: sign in again', { reason: 'role_changed' });
  }
  return { userId: principal.userId, role };
}
