-- Up Migration
-- The waiting room's pause switch outlives a Redis restart: Redis mirrors it, Postgres keeps it.
ALTER TABLE events ADD COLUMN admission_paused boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE events DROP COLUMN admission_paused;
