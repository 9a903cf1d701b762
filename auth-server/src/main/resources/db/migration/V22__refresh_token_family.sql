-- Refresh tokens that were rotated out of a family. A family is one oauth2_authorization row: it holds the one
-- current refresh token. Presenting a token listed here is reuse (a stolen or replayed token), and the whole
-- family is revoked. Only hashes are kept.
CREATE TABLE refresh_token_rotated (
    token_hash       varchar(100) NOT NULL,
    authorization_id varchar(100) NOT NULL,
    rotated_at       timestamp with time zone NOT NULL,
    expires_at       timestamp with time zone NOT NULL,
    CONSTRAINT pk_refresh_token_rotated PRIMARY KEY (token_hash)
);
CREATE INDEX ix_refresh_token_rotated_authorization ON refresh_token_rotated (authorization_id);
CREATE INDEX ix_refresh_token_rotated_expiry ON refresh_token_rotated (expires_at);
