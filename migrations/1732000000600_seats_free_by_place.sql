-- Up Migration
-- Best available reads the free seats of a section in seating order, a few hundred at a time.
-- Without this partial index every hold sorted all free seats of the event.
CREATE INDEX seats_free_by_place ON seats (section_id, row, number) WHERE status = 'available';

-- Down Migration
DROP INDEX seats_free_by_place;
