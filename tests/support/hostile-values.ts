import fc from 'fast-check';
import type { z } from 'zod';

/** Strings that have broken parsers, databases and routers before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uD800',
  '\u202E',
  '𝕏'.repeat(64),
  "'; DROP TABLE users;--",
  '" OR "1"="1',
  '../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%E0%A4%A',
  '%',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '<script>alert(1)</script>',
  '\u0024{jndi:ldap://x}',
  'x'.repeat(5000),
];

const NASTY_NUMBERS = [0, -0, -1, 1, 0.5, -(2 ** 31), 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308];

export function hostileString(known: readonly string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: 2, arbitrary: fc.uuid() },
    ...(known.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...known) }] : []),
  );
}

/** Any JSON-ish value, nested a few levels, with keys a schema might look for. */
export function hostileValue(known: readonly string[] = [], keys: readonly string[] = []): fc.Arbitrary<unknown> {
  const key = fc.oneof(hostileString(), ...(keys.length > 0 ? [fc.constantFrom(...keys)] : []));
  const { value } = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      hostileString(known),
      fc.constantFrom(...NASTY_NUMBERS),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.dictionary(key, tie('value'), { maxKeys: 6 }),
    ),
  }));
  return value;
}

/** The keys of a zod object schema, through refinements; [] for anything else. */
export function shapeKeys(schema: z.ZodTypeAny): string[] {
  let s: any = schema;
  while (s?._def?.schema) s = s._def.schema; // ZodEffects (refine, superRefine, transform)
  const shape = typeof s?._def?.shape === 'function' ? s._def.shape() : s?.shape;
  return shape ? Object.keys(shape) : [];
}

/**
 * A payload for a command: garbage of any shape, or an object with the schema's own keys whose
 * values are hostile (the near misses that get past a first type check), sometimes with extras.
 */
export function hostilePayload(schema: z.ZodTypeAny, known: readonly string[]): fc.Arbitrary<unknown> {
  const keys = shapeKeys(schema);
  const nearMiss =
    keys.length === 0
      ? fc.constant({})
      : fc.record(Object.fromEntries(keys.map((k) => [k, hostileValue(known, keys)])), { requiredKeys: [] });
  return fc.oneof(
    { weight: 2, arbitrary: hostileValue(known, keys) },
    { weight: 5, arbitrary: nearMiss },
    {
      weight: 1,
      arbitrary: fc.tuple(nearMiss, fc.dictionary(hostileString(), hostileValue(known), { maxKeys: 3 })).map(([a, b]) => ({
        ...(b as object),
        ...(a as object),
      })),
    },
  );
}
