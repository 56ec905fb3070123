import { createHash } from 'node:crypto';

/** Crockford base32: no I, L, O, U, so codes read aloud or typed survive. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** XXXX-XXXX-XXXX from 12 random bytes (60 bits kept: guessing one is hopeless). */
export function formatAccessCode(random: Uint8Array): string {
  let out = '';
  for (let i = 0; i < 12; i++) out += ALPHABET[(random[i] ?? 0) % 32];
  return `${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}`;
}

/** The form codes are compared in: case and dashes do not matter, look-alike letters map to digits. */
export function normalizeAccessCode(code: string): string {
  return code.toUpperCase().replace(/-/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
}

export function hashAccessCode(code: string): string {
  return createHash('sha256').update(normalizeAccessCode(code)).digest('hex');
}
