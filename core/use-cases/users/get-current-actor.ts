import type { Principal } from '../../auth/access-tokens.js';
import type { Role } from '../../contract/primitives.js';
import type { Queryable } from '../../db/pool.js';
import { AppError } from '../../domain/app-error.js';
import type { Actor } from '../../domain/can-manage.js';

/**
 * The actor behind a verified access token with the role the account has *now*: an access token
 * lives up to ACCESS_TOKEN_TTL_SECONDS, and a demoted organizer or admin must lose its powers at
 * once, not when the token expires. One primary-key read per staff request.
 */
export async function getCurrentActor(db: Queryable, principal: Principal): Promise<Actor> {
  const { rows } = await db.query<{ role: Role }>('SELECT role FROM users WHERE id = $1', [principal.userId]);
  const row = rows[0];
  if (!row) throw new AppError('UNAUTHENTICATED', 'account no longer exists');
  return { userId: principal.userId, role: row.role };
}
