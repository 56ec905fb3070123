-- Up Migration
-- Ended sessions, durably. Redis keeps the same record for the gateways' fast reads, but a Redis
-- that lost its data (no persistence, a restart, an asynchronous failover) must not bring an
-- ended session back to life: a gateway reads these rows at start and whenever its Redis copy may
-- be incomplete. session_id NULL ends every session of the user for the tokens issued until
-- ended_at. An end older than the access-token lifetime can stop no token: such rows are deleted.
CREATE TABLE session_ends (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  session_id uuid,
  ended_at   timestamptz NOT NULL,
  reason     text NOT NULL CHECK (length(reason) BETWEEN 1 AND 64)
);
CREATE INDEX session_ends_ended_at ON session_ends (ended_at);

-- Down Migration
DROP TABLE session_ends;
