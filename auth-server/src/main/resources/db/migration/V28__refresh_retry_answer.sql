-- Auth0's reuse interval (refresh_token.leeway): for that long after a rotation, the answer the rotation gave is kept
-- (encrypted under a key only the rotated-out token gives) so a retry of the same token gets it again instead of
-- revoking the family. The cleanup clears it once the interval is over.
ALTER TABLE refresh_token_rotated ADD COLUMN retry_answer text DEFAULT NULL;
ALTER TABLE refresh_token_rotated ADD COLUMN retry_until timestamp with time zone DEFAULT NULL;
