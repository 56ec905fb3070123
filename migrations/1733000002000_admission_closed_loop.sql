-- Up Migration
-- Closed-loop admission (issue 10): the hold/confirm ack p95 the admission rate steers towards,
-- and whether it steers at all (off: a fixed admitPerTick, as before).
ALTER TABLE events
  ADD COLUMN admission_target_hold_p95_ms int NOT NULL DEFAULT 250
    CHECK (admission_target_hold_p95_ms BETWEEN 10 AND 60000),
  ADD COLUMN admission_auto boolean NOT NULL DEFAULT true;

-- Down Migration
ALTER TABLE events DROP COLUMN admission_target_hold_p95_ms, DROP COLUMN admission_auto;
