import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** SHA-256 of the command and its payload with keys sorted: equal requests hash equally. */
export function hashRequest(command: string, payload: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify([command, canonical(payload)]))
    .digest('hex');
}
