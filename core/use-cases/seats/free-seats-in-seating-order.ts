import type { FragmentSqlToken, ValueExpression } from 'slonik';
import { sql } from '../../db/sql.js';

/**
 * The seat SQL that returns free seats in seating order (section position, row, number), up to
 * `size`, of one section by name or of the whole event (`section` NULL). Read per section
 * through the partial index seats_free_by_place: a join ordered across sections sorts every
 * free seat of the event (measured 4.8 ms at 8,000 seats). `locked`: the rows are locked FOR
 * UPDATE SKIP LOCKED (a transaction never waits for a seat row; each section may lock up to
 * `size` rows the final LIMIT drops, free again at its commit). Rows carry what a hold needs:
 * id, status, version, row, number, section_id, section, section_rank, price_cents.
 * `section` and `size` are SQL expressions: a bound value, or a column of a lateral caller.
 */
export function freeSeatsInSeatingOrder(o: {
  eventId: string;
  section: ValueExpression;
  size: ValueExpression;
  locked: boolean;
}): FragmentSqlToken {
  return sql.fragment`SELECT p.id, 'available' AS status, p.version, p.row, p.number, p.section_id, sec.name AS section,
                sec.position AS section_rank, sec.price_cents
           FROM sections sec CROSS JOIN LATERAL (
                  SELECT s.id, s.version, s.row, s.number, s.section_id FROM seats s
                   WHERE s.section_id = sec.id AND s.status = 'available'
                   ORDER BY s.row, s.number LIMIT ${o.size} ${o.locked ? sql.fragment`FOR UPDATE OF s SKIP LOCKED` : sql.fragment``}) p
          WHERE sec.event_id = ${o.eventId} AND (${o.section} IS NULL OR sec.name = ${o.section})
          ORDER BY sec.position, p.row, p.number LIMIT ${o.size}`;
}
