import type { SectionsInput } from '../../contract/http.js';
import type { Tx } from '../../db/pool.js';
import { sql } from '../../db/sql.js';

/** Inserts the sections of a layout and every seat of them, in seating order (section, row, number). */
export async function insertEventLayout(tx: Tx, eventId: string, sections: SectionsInput): Promise<void> {
  const layout = sections.map((s, position) => ({
    name: s.name,
    position,
    price_cents: s.priceCents,
    rows: s.rows,
    seats_per_row: s.seatsPerRow,
  }));
  await tx.query(
    sql.typeAlias('void')`INSERT INTO sections (event_id, name, position, price_cents, rows, seats_per_row)
     SELECT ${eventId}, s.name, s.position, s.price_cents, s.rows, s.seats_per_row
       FROM jsonb_to_recordset(${sql.jsonb(layout)}) AS s(name text, position int, price_cents int, rows int, seats_per_row int)`,
  );
  await tx.query(
    sql.typeAlias('void')`INSERT INTO seats (event_id, section_id, row, number)
     SELECT ${eventId}::uuid, s.id, r, n FROM sections s, generate_series(1, s.rows) r, generate_series(1, s.seats_per_row) n
      WHERE s.event_id = ${eventId} ORDER BY s.position, r, n`,
  );
}
