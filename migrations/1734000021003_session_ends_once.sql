-- Up Migration
-- One row per ended session and one per user (its latest end for every session): a logout
-- repeated with the same refresh token, which anyone holding it may send in a loop, adds no row.
DELETE FROM session_ends a USING session_ends b
 WHERE a.id < b.id AND a.user_id = b.user_id AND a.session_id IS NOT DISTINCT FROM b.session_id;
CREATE UNIQUE INDEX session_ends_session ON session_ends (session_id) WHERE session_id IS NOT NULL;
CREATE UNIQUE INDEX session_ends_user ON session_ends (user_id) WHERE session_id IS NULL;

-- Down Migration
DROP INDEX session_ends_user;
DROP INDEX session_ends_session;
