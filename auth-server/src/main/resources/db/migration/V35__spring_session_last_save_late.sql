-- Whether the copy of the session that the row's last update saved was late: loaded before a sign-in changed the id,
-- saved after (RetiredSessionIds). Every session update sets it, and Spring Session writes a copy's attributes after
-- its update, in the same transaction, under the row lock that update took; the attribute statements then write
-- nothing for a late copy, so its CSRF token or saved request never lands in the signed-in session.
ALTER TABLE spring_session ADD COLUMN last_save_late boolean DEFAULT FALSE NOT NULL;
