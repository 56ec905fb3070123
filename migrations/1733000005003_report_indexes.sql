-- Up Migration
-- Reports (active users in a range) scan holds and bookings by creation time. BRIN indexes: rows
-- arrive in time order, so a few pages of summaries serve any range and cost next to nothing on
-- the hold path (a btree would add one more index insert to every hold).
CREATE INDEX holds_created_brin ON holds USING brin (created_at);
CREATE INDEX bookings_created_brin ON bookings USING brin (created_at);

-- Down Migration
DROP INDEX holds_created_brin, bookings_created_brin;
