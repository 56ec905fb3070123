-- Up Migration
-- Evently's store of truth. Constraints make illegal states unrepresentable where SQL can.

CREATE TABLE users (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email         text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254),
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  role          text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Refresh tokens are opaque; only their SHA-256 is stored. A family shares one login: reuse of a
-- rotated token revokes the whole family.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id   uuid NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz,
  replaced_by uuid REFERENCES refresh_tokens (id)
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE events (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  venue                text NOT NULL CHECK (length(venue) BETWEEN 1 AND 200),
  starts_at            timestamptz NOT NULL,
  sale_starts_at       timestamptz NOT NULL,
  cancelled_at         timestamptz,
  max_seats_per_user   int NOT NULL CHECK (max_seats_per_user BETWEEN 1 AND 100),
  hold_ttl_seconds     int NOT NULL CHECK (hold_ttl_seconds BETWEEN 5 AND 3600),
  capacity             int NOT NULL CHECK (capacity > 0),
  admission_max_active int NOT NULL CHECK (admission_max_active > 0),
  admission_admit_per_tick int NOT NULL CHECK (admission_admit_per_tick > 0),
  admission_tick_ms    int NOT NULL CHECK (admission_tick_ms >= 50),
  admission_session_ttl_seconds int NOT NULL CHECK (admission_session_ttl_seconds >= 10),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  CHECK (sale_starts_at <= starts_at)
);
CREATE INDEX events_starts_at ON events (starts_at) WHERE cancelled_at IS NULL;

CREATE TABLE sections (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id      uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  position      int NOT NULL CHECK (position >= 0),
  price_cents   int NOT NULL CHECK (price_cents >= 0),
  rows          int NOT NULL CHECK (rows BETWEEN 1 AND 200),
  seats_per_row int NOT NULL CHECK (seats_per_row BETWEEN 1 AND 200),
  UNIQUE (event_id, name),
  UNIQUE (id, event_id)
);

CREATE TABLE holds (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id    uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id     uuid NOT NULL REFERENCES users (id),
  status      text NOT NULL DEFAULT 'active'
              CHECK (status IN ('active', 'confirmed', 'released', 'expired', 'cancelled')),
  source      text NOT NULL DEFAULT 'user' CHECK (source IN ('user', 'waitlist')),
  seat_count  int NOT NULL CHECK (seat_count > 0),
  total_cents int NOT NULL CHECK (total_cents >= 0),
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  ended_at    timestamptz,
  CHECK ((status = 'active') = (ended_at IS NULL)),
  UNIQUE (id, event_id)
);
CREATE INDEX holds_active_expiry ON holds (expires_at) WHERE status = 'active';
CREATE INDEX holds_active_user ON holds (user_id, event_id) WHERE status = 'active';

CREATE TABLE bookings (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference    text NOT NULL UNIQUE CHECK (length(reference) BETWEEN 6 AND 32),
  event_id     uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id      uuid NOT NULL REFERENCES users (id),
  hold_id      uuid NOT NULL UNIQUE,
  status       text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
  total_cents  int NOT NULL CHECK (total_cents >= 0),
  refund_cents int CHECK (refund_cents >= 0 AND refund_cents <= total_cents),
  created_at   timestamptz NOT NULL DEFAULT now(),
  cancelled_at timestamptz,
  CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK ((status = 'cancelled') = (refund_cents IS NOT NULL)),
  FOREIGN KEY (hold_id, event_id) REFERENCES holds (id, event_id),
  UNIQUE (id, event_id)
);
CREATE INDEX bookings_user ON bookings (user_id, created_at DESC);
CREATE INDEX bookings_event_created ON bookings (event_id, created_at);

-- A seat is exactly one of available, held (by one hold) or sold (to one booking); the CHECK makes
-- any other combination impossible, the composite keys keep the hold/booking in the same event.
CREATE TABLE seats (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id   uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  section_id uuid NOT NULL,
  row        int NOT NULL CHECK (row >= 1),
  number     int NOT NULL CHECK (number >= 1),
  status     text NOT NULL DEFAULT 'available' CHECK (status IN ('available', 'held', 'sold')),
  version    int NOT NULL DEFAULT 0 CHECK (version >= 0),
  hold_id    uuid,
  booking_id uuid,
  FOREIGN KEY (section_id, event_id) REFERENCES sections (id, event_id) ON DELETE CASCADE,
  FOREIGN KEY (hold_id, event_id) REFERENCES holds (id, event_id),
  FOREIGN KEY (booking_id, event_id) REFERENCES bookings (id, event_id),
  UNIQUE (section_id, row, number),
  CHECK (
    (status = 'available' AND hold_id IS NULL AND booking_id IS NULL) OR
    (status = 'held' AND hold_id IS NOT NULL AND booking_id IS NULL) OR
    (status = 'sold' AND booking_id IS NOT NULL AND hold_id IS NULL)
  )
);
CREATE INDEX seats_event_status ON seats (event_id, status);
CREATE INDEX seats_hold ON seats (hold_id) WHERE hold_id IS NOT NULL;
CREATE INDEX seats_booking ON seats (booking_id) WHERE booking_id IS NOT NULL;

-- What each hold and booking covered, kept after the seats move on (history, refunds, replies).
CREATE TABLE hold_seats (
  hold_id     uuid NOT NULL REFERENCES holds (id) ON DELETE CASCADE,
  seat_id     uuid NOT NULL REFERENCES seats (id) ON DELETE CASCADE,
  price_cents int NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (hold_id, seat_id)
);
CREATE TABLE booked_seats (
  booking_id  uuid NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
  seat_id     uuid NOT NULL REFERENCES seats (id) ON DELETE CASCADE,
  price_cents int NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (booking_id, seat_id)
);

CREATE TABLE waitlist_entries (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE, -- FIFO order
  event_id      uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users (id),
  section_id    uuid,
  quantity      int NOT NULL CHECK (quantity BETWEEN 1 AND 100),
  status        text NOT NULL DEFAULT 'waiting'
                CHECK (status IN ('waiting', 'offered', 'fulfilled', 'left', 'lapsed', 'cancelled')),
  offer_hold_id uuid REFERENCES holds (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (section_id, event_id) REFERENCES sections (id, event_id) ON DELETE CASCADE,
  CHECK ((status = 'offered') = (offer_hold_id IS NOT NULL) OR status IN ('fulfilled', 'lapsed'))
);
-- One open entry per user and event.
CREATE UNIQUE INDEX waitlist_open_entry ON waitlist_entries (event_id, user_id)
  WHERE status IN ('waiting', 'offered');
CREATE INDEX waitlist_queue ON waitlist_entries (event_id, seq) WHERE status = 'waiting';

-- Idempotency records are written in the same transaction as the change they describe.
CREATE TABLE idempotency_records (
  user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 128),
  command      text NOT NULL,
  request_hash text NOT NULL,
  reply        jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, key)
);

-- Append-only record of every state change, written in the transaction of the change.
CREATE TABLE audit_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  actor_id    uuid,
  action      text NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
  event_id    uuid,
  entity_type text NOT NULL,
  entity_id   text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_event ON audit_log (event_id, at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();

-- Down Migration
DROP TABLE audit_log, idempotency_records, waitlist_entries, booked_seats, hold_seats, seats,
  bookings, holds, sections, events, refresh_tokens, users CASCADE;
DROP FUNCTION audit_log_is_append_only();
