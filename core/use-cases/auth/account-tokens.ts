import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';
import type { AccountMailKind } from '../../domain/render-account-mail.js';

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new single-use token of this kind for the account; only its hash is stored. */
export async function createAccountToken(
  db: Db,
  kind: AccountMailKind,
  userId: string,
  ttlSeconds: number,
): Promise<{ id: string; token: string }> {
  const token = randomBytes(32).toString('base64url');
  const id = await db.oneFirst(
    sql.type(z.object({ id: z.string() }))`INSERT INTO account_tokens (kind, user_id, token_hash, expires_at)
      VALUES (${kind}, ${userId}, ${hashOf(token)}, now() + make_interval(secs => ${ttlSeconds})) RETURNING id`,
  );
  return { id, token };
}

/**
 * Uses the token: one guarded UPDATE, so of two requests racing with it exactly one gets the
 * account back. Null for an unknown, used, expired or other-kind token.
 */
export async function spendAccountToken(db: Db, kind: AccountMailKind, token: string): Promise<string | null> {
  return db.maybeOneFirst(
    sql.type(z.object({ user_id: z.string() }))`UPDATE account_tokens SET used_at = now()
      WHERE token_hash = ${hashOf(token)} AND kind = ${kind} AND used_at IS NULL AND expires_at > now()
      RETURNING user_id`,
  );
}
