-- Up Migration
-- Transactional outbox for notification mail: a row is written in the same transaction as the
-- change it tells about (booking confirmed, waitlist offer, event cancelled), so a mail exists
-- exactly when the change committed. Workers relay due rows to a BullMQ queue (job id = row id)
-- and deliver each one with its id as the Message-ID; sent_at makes a second delivery a no-op.
CREATE TABLE notification_outbox (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- kind:entity (e.g. booking_confirmed:<bookingId>): the same fact never makes two mails.
  dedupe_key  text NOT NULL UNIQUE,
  kind        text NOT NULL CHECK (kind IN ('booking_confirmed', 'waitlist_offer', 'hold_expiring', 'event_cancelled')),
  user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  event_id    uuid,
  hold_id     uuid,
  to_email    text NOT NULL,
  subject     text NOT NULL,
  text_body   text NOT NULL,
  html_body   text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  relayed_at  timestamptz,
  attempts    int NOT NULL DEFAULT 0,
  last_error  text,
  sent_at     timestamptz,
  -- Not sent on purpose (a hold reminder for a hold that ended meanwhile).
  skipped_at  timestamptz
);
CREATE INDEX notification_outbox_unrelayed ON notification_outbox (created_at) WHERE relayed_at IS NULL;
CREATE INDEX notification_outbox_unsent ON notification_outbox (relayed_at) WHERE sent_at IS NULL AND skipped_at IS NULL;

-- Down Migration
DROP TABLE notification_outbox;
