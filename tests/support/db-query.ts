import pg from 'pg';

/** One query against a test database (assertions on what Postgres holds). */
export async function dbQuery<T = any>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    return (await db.query(sql, params)).rows as T[];
  } finally {
    await db.end();
  }
}

/** An event's seat ids in seating order (section, row, number). */
export async function seatIdsInOrder(databaseUrl: string, eventId: string): Promise<string[]> {
  const rows = await dbQuery<{ id: string }>(
    databaseUrl,
    `SELECT s.id FROM seats s JOIN sections sec ON sec.id = s.section_id WHERE s.event_id = $1 ORDER BY sec.position, s.row, s.number`,
    [eventId],
  );
  return rows.map((r) => r.id);
}
