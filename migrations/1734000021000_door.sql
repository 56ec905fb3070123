-- Up Migration
-- The door of a waiting room: an event may ask a proof of work at queue:join and a verified
-- email; an account's email counts as verified once its owner followed the mailed link.
ALTER TABLE events
  ADD COLUMN admission_challenge_required boolean NOT NULL DEFAULT false,
  ADD COLUMN admission_require_verified_email boolean NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN email_verified boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE users DROP COLUMN email_verified;
ALTER TABLE events DROP COLUMN admission_require_verified_email, DROP COLUMN admission_challenge_required;
