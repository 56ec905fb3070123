import { z } from 'zod';
import type { Db } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

export async function eventExists(db: Db, eventId: string): Promise<boolean> {
  return db.oneFirst(
    sql.type(z.object({ found: z.boolean() }))`SELECT EXISTS (SELECT 1 FROM events WHERE id = ${eventId}) AS found`,
  );
}
