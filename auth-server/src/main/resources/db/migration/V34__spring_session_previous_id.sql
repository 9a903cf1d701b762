-- The id a session had before its latest id change (a sign-in, an added factor), kept in the session's own row. The
-- session update refuses it (RetiredSessionIds) even when it cannot see the retired ids yet: on PostgreSQL a late
-- update that waited for the sign-in's row lock re-reads the row, but reads spring_session_retired_id as it was when the
-- update began. Empty until the session's id first changes.
ALTER TABLE spring_session ADD COLUMN previous_session_id char(36);
