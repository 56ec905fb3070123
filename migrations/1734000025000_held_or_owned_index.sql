-- Up Migration
-- The per-user allowance counts a user's confirmed bookings of one event on every hold batch
-- (seatsHeldOrOwned): an index on both conditions, so the planner never reads every booking of
-- the event instead (it did, through bookings_event_created, on tables not analyzed yet).
CREATE INDEX bookings_confirmed_user_event ON bookings (user_id, event_id) WHERE status = 'confirmed';

-- Down Migration
DROP INDEX bookings_confirmed_user_event;
