-- Auth0's blocked flag: a blocked user cannot sign in, and the tenant import revokes what they hold. Kept apart
-- from enabled (a user removed from the tenant file) so a blocked user stays listed in the file.
ALTER TABLE user_account ADD COLUMN blocked boolean DEFAULT FALSE NOT NULL;
