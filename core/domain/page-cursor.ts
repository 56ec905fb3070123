import { AppError } from './app-error.js';

/**
 * Keyset cursors: the sort key of the last row of a page, opaque to clients (base64url JSON).
 * Opaque so the sort key can change without breaking clients; validated because clients can
 * send anything.
 */
export function encodeCursor(key: readonly string[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = null;
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== length ||
    !parsed.every((p) => typeof p === 'string' && p.length > 0 && p.length <= 200)
  ) {
    throw new AppError('VALIDATION_FAILED', 'malformed cursor', { field: 'cursor' });
  }
  return parsed as string[];
}

/** A page of rows and the cursor of the next page (null on the last one). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Callers fetch limit + 1 rows: the extra one only says whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string[], map: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(keyOf(last)) : null };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_MICROS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;

/** The common cursor: a row's time (microsecond ISO, exact) and id. Forged parts never reach SQL casts. */
export function decodeTimeIdCursor(cursor: string): [string, string] {
  const [at, id] = decodeCursor(cursor, 2) as [string, string];
  if (!ISO_MICROS.test(at) || Number.isNaN(Date.parse(at)) || !UUID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'malformed cursor', { field: 'cursor' });
  }
  return [at, id];
}
