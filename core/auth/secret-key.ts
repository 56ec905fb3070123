import { createSecretKey, type KeyObject } from 'node:crypto';

/**
 * jsonwebtoken turns a string secret into a key on every sign and verify by first trying it as
 * a PEM key and catching the failure (about 0.7 ms of CPU each). One KeyObject per secret.
 */
const secretKeys = new Map<string, KeyObject>();

export function secretKeyOf(secret: string): KeyObject {
  let key = secretKeys.get(secret);
  if (!key) {
    key = createSecretKey(Buffer.from(secret));
    secretKeys.set(secret, key);
  }
  return key;
}
