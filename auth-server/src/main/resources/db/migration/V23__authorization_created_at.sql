-- When an authorization row was first written. A login abandoned at the consent step leaves a row with only a
-- state and no token, so no expiry to age it by; with this column the cleanup can delete such rows after a day.
-- SAS's inserts name their columns, so the default fills it; rows already stored get the migration time.
ALTER TABLE oauth2_authorization ADD COLUMN created_at timestamp with time zone DEFAULT CURRENT_TIMESTAMP NOT NULL;
