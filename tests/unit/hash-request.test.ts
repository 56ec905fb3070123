import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, hashRequest } from '../../core/use-cases/idempotency/hash-request.js';

/** The definition the stored request hashes were made with: a key-sorted copy, then JSON.stringify. */
function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, sortedCopy(v)]),
    );
  }
  return value;
}
const definition = (command: string, payload: unknown) =>
  createHash('sha256')
    .update(JSON.stringify([command, sortedCopy(payload)]))
    .digest('hex');

/** Payload-shaped values: what zod hands a handler (no functions, no cycles), undefined members included. */
const payload = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 6 }),
  ),
})).value;

describe('hashRequest', () => {
  it('gives the hash the stored records were made with, for any payload', () => {
    fc.assert(
      fc.property(fc.string(), payload, (command, value) => {
        expect(hashRequest(command, value)).toBe(definition(command, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes the JSON of the key-sorted value', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: undefined, c: 'x"y' }], e: undefined })).toBe('{"a":[2,{"c":"x\\"y"}],"b":1}');
    expect(canonicalJson([undefined, null])).toBe('[null,null]');
    // Index-like keys first, ascending, as the object the stored hashes were made from listed them.
    expect(canonicalJson({ b: 0, 10: 1, 2: 2, a: 3 })).toBe('{"2":2,"10":1,"a":3,"b":0}');
    expect(hashRequest('seats:hold', { quantity: 2, eventId: 'e' })).toBe(
      hashRequest('seats:hold', { eventId: 'e', quantity: 2 }),
    );
    expect(hashRequest('seats:hold', { quantity: 2 })).not.toBe(hashRequest('hold:confirm', { quantity: 2 }));
  });
});
