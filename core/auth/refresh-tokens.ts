import { createHash, randomBytes } from 'node:crypto';

/** Refresh tokens are opaque random strings; the database keeps only their hash. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
