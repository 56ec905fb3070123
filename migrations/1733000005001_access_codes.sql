-- Up Migration
-- Access codes for the waiting room: `presale` lets holders in from events.presale_starts_at,
-- `bypass` puts them at the head (admitted at once when a slot is free, within maxActive).
-- Only the SHA-256 of a code is kept: the plain codes are shown once, to whoever created them.
CREATE TABLE access_codes (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id   uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  code_hash  text NOT NULL UNIQUE,
  kind       text NOT NULL CHECK (kind IN ('presale', 'bypass')),
  max_uses   int NOT NULL CHECK (max_uses BETWEEN 1 AND 1000000),
  uses       int NOT NULL DEFAULT 0,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (uses BETWEEN 0 AND max_uses)
);
CREATE INDEX access_codes_event ON access_codes (event_id);

-- One row per holder: the same account joining again (reconnect, second device) uses no more.
CREATE TABLE access_code_uses (
  code_id  uuid NOT NULL REFERENCES access_codes (id) ON DELETE CASCADE,
  user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event_id uuid NOT NULL,
  used_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (code_id, user_id)
);
CREATE INDEX access_code_uses_event ON access_code_uses (event_id, used_at);

-- Down Migration
DROP TABLE access_code_uses, access_codes;
