-- The ids a session had before its id changes (a sign-in, an added factor), newest first, kept in the session's own
-- row and written by the same statement that changes the id. The session update refuses a copy with one of them
-- (RetiredSessionIds): an id replaced by another request's save, or never recorded because the browser's first cookie
-- was another one, and on PostgreSQL a late update that waited for a sign-in's row lock (it re-reads the row but reads
-- spring_session_retired_id as it was when it began). Empty until the session's id first changes. No length: an id
-- that fell off a bounded list could be written back, and each entry costs a sign-in.
ALTER TABLE spring_session ADD COLUMN previous_session_ids varchar;
