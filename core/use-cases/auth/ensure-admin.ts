import { hashPassword } from '../../auth/passwords.js';
import type { Pool } from '../../db/pool.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';

/** Creates the admin from config, or promotes and re-keys an existing account with that email. */
export async function ensureAdmin(pool: Pool, admin: { email: string; password: string }): Promise<string> {
  const hash = await hashPassword(admin.password);
  return withTransaction(pool, async (tx) => {
    const { rows } = await tx.query<{ id: string; inserted: boolean }>(
      `INSERT INTO users (email, name, password_hash, role) VALUES ($1, 'Administrator', $2, 'admin')
       ON CONFLICT (email) DO UPDATE SET role = 'admin', password_hash = EXCLUDED.password_hash
       RETURNING id, (xmax = 0) AS inserted`,
      [admin.email, hash],
    );
    const row = rows[0] as { id: string; inserted: boolean };
    await writeAudit(tx, {
      actorId: null,
      action: row.inserted ? 'admin.created' : 'admin.ensured',
      entityType: 'user',
      entityId: row.id,
    });
    return row.id;
  });
}
