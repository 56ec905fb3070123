import type { FragmentSqlToken, IdentifierSqlToken } from 'slonik';
import { sql } from './sql.js';

/** SQL for a timestamptz as exact ISO text (microseconds): cursors must not lose precision. */
export function isoMicrosSql(column: IdentifierSqlToken | FragmentSqlToken): FragmentSqlToken {
  return sql.fragment`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
