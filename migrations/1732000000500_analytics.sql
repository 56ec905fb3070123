-- Up Migration
-- Analytics roll-ups, fed from audit_log by one worker per tick (never from scans of bookings).
--
-- Which audit rows are new: audit ids are taken at insert time but committed in any order, so an
-- id high-water mark can skip a row whose transaction commits late. Instead each row records the
-- id of the transaction that wrote it; every transaction older than the oldest one still running
-- (pg_snapshot_xmin) has finished, so the worker reads [cursor, xmin) and never sees a row of
-- that range appear later. Exactly once, no trailing window, no dedupe table.
ALTER TABLE audit_log ADD COLUMN xact_id xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX audit_log_xact ON audit_log (xact_id);

CREATE TABLE analytics_cursor (
  id         int PRIMARY KEY CHECK (id = 1),
  next_xact  xid8 NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO analytics_cursor (id, next_xact) VALUES (1, '0');

-- Counts per event and UTC minute of the change (audit_log.at). Live rates read the last two
-- minutes; ranges and daily reports sum them.
CREATE TABLE analytics_minutes (
  event_id      uuid NOT NULL,
  minute        timestamptz NOT NULL CHECK (date_trunc('minute', minute) = minute),
  holds         int NOT NULL DEFAULT 0,
  held_seats    int NOT NULL DEFAULT 0,
  releases      int NOT NULL DEFAULT 0,
  expiries      int NOT NULL DEFAULT 0,
  confirms      int NOT NULL DEFAULT 0,
  revenue_cents bigint NOT NULL DEFAULT 0,
  cancellations int NOT NULL DEFAULT 0,
  refund_cents  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, minute)
);
CREATE INDEX analytics_minutes_minute ON analytics_minutes (minute);

-- Running totals per event since the first sale: revenue, conversion and top events.
CREATE TABLE analytics_event_totals (
  event_id      uuid PRIMARY KEY,
  holds         bigint NOT NULL DEFAULT 0,
  held_seats    bigint NOT NULL DEFAULT 0,
  releases      bigint NOT NULL DEFAULT 0,
  expiries      bigint NOT NULL DEFAULT 0,
  confirms      bigint NOT NULL DEFAULT 0,
  revenue_cents bigint NOT NULL DEFAULT 0,
  cancellations bigint NOT NULL DEFAULT 0,
  refund_cents  bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE analytics_event_totals, analytics_minutes, analytics_cursor;
DROP INDEX audit_log_xact;
ALTER TABLE audit_log DROP COLUMN xact_id;
