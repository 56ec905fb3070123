import { z } from 'zod';
import { getDummyHash, verifyPassword } from '../../auth/passwords.js';
import { type AuthReply, PublicUser } from '../../contract/http.js';
import type { Pool } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import { AppError } from '../../domain/app-error.js';
import { issueSession, type TokenSettings } from './issue-session.js';

/** Same error and the same work (one argon2 verify) whether or not the email exists. */
export async function loginUser(
  pool: Pool,
  input: { email: string; password: string },
  settings: TokenSettings,
): Promise<AuthReply> {
  const row = await pool.maybeOne(
    sql.type(
      PublicUser.extend({ password_hash: z.string() }),
    )`SELECT id, email, name, role, email_verified AS "emailVerified", password_hash FROM users
      WHERE email = ${input.email.trim().toLowerCase()}`,
  );
  const ok = await verifyPassword(row?.password_hash ?? (await getDummyHash()), input.password);
  if (!row || !ok) throw new AppError('UNAUTHENTICATED', 'invalid email or password');
  const { password_hash: _, ...user } = row;
  const { refreshTokenId: __, ...session } = await issueSession(pool, user, settings);
  return session;
}
