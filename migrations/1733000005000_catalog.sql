-- Up Migration
-- Catalog, people and access (PROTOCOL v1.1 "Catalog, people, access and documents").

-- Organizers create events and venues and manage their own only.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('user', 'organizer', 'admin'));
-- Admin user search pages by (created_at, id) and filters by role.
CREATE INDEX users_created ON users (created_at, id);

-- A venue keeps a seat layout that events copy when they are created from it (the copy makes
-- later venue edits leave existing events, their seats and their bookings alone).
CREATE TABLE venues (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  owner_id   uuid NOT NULL REFERENCES users (id),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  address    text NOT NULL DEFAULT '' CHECK (length(address) <= 500),
  -- [{name, priceCents, rows, seatsPerRow}], validated by the contract before it gets here.
  sections   jsonb NOT NULL CHECK (jsonb_typeof(sections) = 'array'),
  capacity   int NOT NULL CHECK (capacity > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX venues_owner ON venues (owner_id, created_at, id);
CREATE INDEX venues_created ON venues (created_at, id);

ALTER TABLE events
  ADD COLUMN owner_id uuid REFERENCES users (id),
  ADD COLUMN venue_id uuid REFERENCES venues (id) ON DELETE SET NULL,
  ADD COLUMN series text CHECK (length(series) BETWEEN 1 AND 200),
  ADD COLUMN presale_starts_at timestamptz,
  ADD COLUMN refund_percent int NOT NULL DEFAULT 100 CHECK (refund_percent BETWEEN 0 AND 100),
  ADD CONSTRAINT events_presale_before_sale CHECK (presale_starts_at IS NULL OR presale_starts_at <= sale_starts_at);

-- Catalog search. The list is keyset-paged by (starts_at, id) over events that are not
-- cancelled; each filter gets an index that yields rows already in that order, so a page costs
-- a few index probes whatever the catalog's size.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX events_catalog ON events (starts_at, id) WHERE cancelled_at IS NULL;
DROP INDEX events_starts_at; -- a prefix of events_catalog
CREATE INDEX events_catalog_series ON events (series, starts_at, id) WHERE cancelled_at IS NULL;
CREATE INDEX events_catalog_venue ON events (venue_id, starts_at, id) WHERE cancelled_at IS NULL;
CREATE INDEX events_owner ON events (owner_id, starts_at, id);
-- `q` matches a substring of name or venue (case-insensitive) through trigrams; the expression
-- must be the one list-events.sql filters on.
CREATE INDEX events_catalog_text ON events USING gin ((name || ' ' || venue) gin_trgm_ops) WHERE cancelled_at IS NULL;

-- Down Migration
DROP INDEX events_catalog_text, events_owner, events_catalog_venue, events_catalog_series, events_catalog;
CREATE INDEX events_starts_at ON events (starts_at) WHERE cancelled_at IS NULL;
ALTER TABLE events DROP CONSTRAINT events_presale_before_sale, DROP COLUMN refund_percent,
  DROP COLUMN presale_starts_at, DROP COLUMN series, DROP COLUMN venue_id, DROP COLUMN owner_id;
DROP TABLE venues;
DROP INDEX users_created;
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('user', 'admin'));
