import type { SerializableValue } from 'slonik';
import { sql } from './sql.js';

/**
 * One JSON document per row, numbered from 1 in a column `n`: for set-based statements that
 * unnest their other columns `WITH ORDINALITY` and join these on `n`, as in
 * `JOIN ${jsonRows(replies)} AS d(reply, n) USING (n)`. The documents go as one jsonb parameter;
 * a jsonb[] parameter instead had the driver escape every quote of every document (3 % of a
 * gateway's CPU per hold, for the replies of a hold batch).
 */
export function jsonRows(values: readonly SerializableValue[]) {
  return sql.fragment`jsonb_array_elements(${sql.jsonb(values)}) WITH ORDINALITY`;
}
