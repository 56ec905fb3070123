/** SQL for a timestamptz as exact ISO text (microseconds): cursors must not lose precision. */
export function isoMicrosSql(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
