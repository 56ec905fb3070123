import { hashPassword } from '../../auth/passwords.js';
import { type AuthReply, PublicUser } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { withTransaction } from '../../db/with-transaction.js';
import { writeAudit } from '../../db/write-audit.js';
import { AppError } from '../../domain/app-error.js';
import { issueSession, type TokenSettings } from './issue-session.js';

export async function registerUser(
  pool: Pool,
  input: { email: string; password: string; name: string },
  settings: TokenSettings,
): Promise<AuthReply> {
  const passwordHash = await hashPassword(input.password);
  return withTransaction(pool, async (tx) => {
    const user = await tx.maybeOne(
      sql.type(PublicUser)`INSERT INTO users (email, name, password_hash) VALUES (${input.email}, ${input.name}, ${passwordHash})
       ON CONFLICT (email) DO NOTHING RETURNING id, email, name, role, email_verified AS "emailVerified"`,
    );
    if (!user) throw new AppError('CONFLICT', 'an account with this email already exists');
    await writeAudit(tx, { actorId: user.id, action: 'user.registered', entityType: 'user', entityId: user.id });
    const { refreshTokenId: _, ...session } = await issueSession(tx, user, settings);
    return session;
  });
}
