import { z } from 'zod';
import { hashPassword } from '../../auth/passwords.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
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
    const before = await tx.maybeOneFirst(
      sql.type(z.object({ role: z.string() }))`SELECT role FROM users WHERE email = ${admin.email} FOR UPDATE`,
    );
    const upserted = await tx.one(
      sql.type(z.object({ id: z.string(), inserted: z.boolean() }))`INSERT INTO users (email, name, password_hash, role)
       VALUES (${admin.email}, 'Administrator', ${hash}, 'admin')
       ON CONFLICT (email) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
       RETURNING id, (xmax = 0) AS inserted`,
    );
    const row = { ...upserted, promoted: before !== null && before !== 'admin' };
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
