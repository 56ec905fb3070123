import type { AdmissionBucket } from '../../domain/admission-policy.js';

/** HGETALL of the admissions-per-second hash (flat field/value list) as buckets. */
export function bucketsOf(flat: readonly string[]): AdmissionBucket[] {
  const buckets: AdmissionBucket[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) buckets.push({ second: Number(flat[i]), count: Number(flat[i + 1]) });
  return buckets;
}
