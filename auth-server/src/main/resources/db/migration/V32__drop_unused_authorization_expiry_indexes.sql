-- The only reader of these two indexes was to be the cleanup of expired authorizations (CleanupConfiguration). It asks,
-- for every token kind, "no token, or expired": an OR per kind, which H2 answers with a table scan whatever the
-- indexes (EXPLAIN), and which PostgreSQL can answer without them too. It runs once per cleanup interval (an hour).
-- The indexes cost on every write instead: H2 takes an updated row out of each of the table's indexes and puts it
-- back, and a refresh updates its row twice.
DROP INDEX IF EXISTS ix_oauth2_authorization_rt_expiry;
DROP INDEX IF EXISTS ix_oauth2_authorization_at_expiry;
