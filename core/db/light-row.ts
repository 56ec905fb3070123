import { z } from 'zod';

type Check = (value: unknown) => string | null;

const kind =
  (name: string, test: (v: unknown) => boolean): Check =>
  (v) =>
    test(v) ? null : `expected ${name}, received ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`;

/** The checks of a zod type without its refinements (uuid, datetime, min/max): kinds and keys only. */
function checkOf(schema: z.ZodTypeAny): Check {
  if (schema instanceof z.ZodNullable) {
    const inner = checkOf(schema.unwrap());
    return (v) => (v === null ? null : inner(v));
  }
  if (schema instanceof z.ZodOptional) {
    const inner = checkOf(schema.unwrap());
    return (v) => (v === undefined ? null : inner(v));
  }
  if (schema instanceof z.ZodString) return kind('string', (v) => typeof v === 'string');
  if (schema instanceof z.ZodNumber) return kind('number', (v) => typeof v === 'number');
  if (schema instanceof z.ZodBoolean) return kind('boolean', (v) => typeof v === 'boolean');
  if (schema instanceof z.ZodDate) return kind('date', (v) => v instanceof Date);
  if (schema instanceof z.ZodEnum) {
    const values = new Set<unknown>(schema.options);
    return (v) => (values.has(v) ? null : `expected one of ${[...values].join(', ')}, received ${String(v)}`);
  }
  if (schema instanceof z.ZodArray) {
    const element = checkOf(schema.element);
    return (v) => {
      if (!Array.isArray(v)) return kind('array', () => false)(v);
      for (let i = 0; i < v.length; i++) {
        const problem = element(v[i]);
        if (problem) return `${i}: ${problem}`;
      }
      return null;
    };
  }
  if (schema instanceof z.ZodRecord) {
    const value = checkOf(schema.valueSchema);
    return (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return kind('object', () => false)(v);
      for (const [key, item] of Object.entries(v)) {
        const problem = value(item);
        if (problem) return `${key}: ${problem}`;
      }
      return null;
    };
  }
  if (schema instanceof z.ZodObject) {
    const fields = Object.entries(schema.shape as Record<string, z.ZodTypeAny>).map(([key, s]) => [key, checkOf(s)] as const);
    return (v) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) return kind('object', () => false)(v);
      for (const [key, check] of fields) {
        const problem = check((v as Record<string, unknown>)[key]);
        if (problem) return `${key}: ${problem}`;
      }
      return null;
    };
  }
  // z.unknown(), z.any() and anything else this light form does not know: not checked.
  return () => null;
}

/**
 * The same row type, checked the cheap way, for the few statements on the hold path (and the
 * worker's read of every new audit entry): every
 * column (and every field of its json arrays and objects) is there with the right kind, enum
 * values are known ones, nulls only where the type allows them; string formats (uuid, datetime)
 * and number ranges are not checked, and the row is returned as it came (zod's parse rebuilds
 * every object: measured, the full parse was most of zod's share of the gateway's CPU per hold).
 */
export function lightRow<S extends z.ZodObject<z.ZodRawShape>>(schema: S): z.ZodType<z.infer<S>> {
  const check = checkOf(schema);
  let problem: string | null = null;
  return z.custom<z.infer<S>>(
    (row) => {
      problem = check(row);
      return problem === null;
    },
    () => ({ message: problem ?? 'does not match its row type' }),
  );
}
