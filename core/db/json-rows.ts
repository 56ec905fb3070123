import type { SerializableValue } from 'slonik';
import { sql } from './sql.js';

/**
 * One JSON document per row, numbered from 1 in a column `n`: for set-based statements that
 * unnest their other columns `WITH ORDINALITY` and join these on `n`, as in
 * `JOIN ${jsonRows(replies)} AS d(reply, n) USING (n)`. The documents go as one bound text
 * parameter cast to jsonb: a jsonb[] parameter had the driver escape every quote of every
 * document (measurable in a gateway's CPU per hold, for the replies of a hold batch), and `sql.jsonb`
 * serializes with safe-stable-stringify, which sorts every object's keys (measurable too, for a key
 * order jsonb does not keep anyway). The values are plain data.
 */
export function jsonRows(values: readonly SerializableValue[]) {
  return sql.fragment`jsonb_array_elements(${JSON.stringify(values)}::jsonb) WITH ORDINALITY`;
}
