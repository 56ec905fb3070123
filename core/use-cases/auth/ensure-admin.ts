import { hashPassword } from '../../auth/passwords.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { revokeRefreshTokens } from './revoke-refresh-tokens.js';

/**
 * Creates the admin from config, or promotes and re-keys an existing account with that email.
 * A promoted account loses its refresh tokens: one stolen while it was a plain user must not
 * refresh into an admin token now.
 */
export async function ensureAdmin(pool: Pool, admin: { email: string; password: string }): Promise<string> {
  const hash = await hashPassword(admin.password);
  return withTransaction(pool, async (tx) => {
    const before = await tx.query<{ role: string }>('SELECT role FROM users WHERE email = $1 FOR UPDATE', [admin.email]);
    const { rows } = await tx.query<{ id: string; inserted: boolean }>(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
       ON CONFLICT (email) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
       RETURNING id, (xmax = 0) AS inserted`,
      [admin.email, hash],
    );
    const row = {
      ...(rows[0] as { id: string; inserted: boolean }),
      promoted: before.rows[0]?.role !== undefined && before.rows[0].role !== 'admin',
    };
    if (row.promoted) await revokeRefreshTokens(tx, row.id);
    await writeAudit(tx, {
      actorId: null,
      action: row.inserted ? 'admin.created' : row.promoted ? 'admin.promoted' : 'admin.ensured',
      entityType: 'user',
      entityId: row.id,
    });
    return row.id;
  });
}
