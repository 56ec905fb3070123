import { hash } from 'node:crypto';

/**
 * The JSON text of a value with every object's keys sorted and undefined members left out:
 * exactly `JSON.stringify(value)` of the key-sorted copy, written in one pass (no sorted copy of
 * every object, one string built). Only what a parsed payload can hold: plain objects, arrays,
 * strings, numbers, booleans, null.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      const item = value[i];
      // As JSON.stringify writes an array hole or undefined: null.
      out += item === undefined ? 'null' : canonicalJson(item);
    }
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    let out = '{';
    let first = true;
    for (const key of sortedKeys(record)) {
      const item = record[key];
      if (item === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(key)}:${canonicalJson(item)}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** An array-index-like key ("0", "17"): objects list those first, ascending, whatever the insertion order. */
const isIndexKey = (k: string) => /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;

/** Keys in the order JSON.stringify writes a copy made with them inserted sorted. */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  if (!keys.some(isIndexKey)) return keys;
  const indexes = keys.filter(isIndexKey).sort((a, b) => Number(a) - Number(b));
  return [...indexes, ...keys.filter((k) => !isIndexKey(k))];
}

/** SHA-256 of the command and its payload with keys sorted: equal requests hash equally. */
export function hashRequest(command: string, payload: unknown): string {
  return hash('sha256', `[${JSON.stringify(command)},${canonicalJson(payload)}]`);
}
