-- Spring Authorization Server's authorization table, adapted so one script runs on H2 and PostgreSQL:
-- text instead of blob (PostgreSQL has no blob; H2 maps text to CLOB, which the JDBC service reads),
-- timestamp with time zone so instants survive a server in another zone.
-- Token values are never stored in clear: the application stores "sha256:<base64url digest>" (see
-- HashingAuthorizationService), so the value columns are short and can carry ordinary indexes.
CREATE TABLE oauth2_authorization (
    id                            varchar(100)  NOT NULL,
    registered_client_id          varchar(100)  NOT NULL,
    principal_name                varchar(200)  NOT NULL,
    authorization_grant_type      varchar(100)  NOT NULL,
    authorized_scopes             varchar(4000) DEFAULT NULL,
    attributes                    text          DEFAULT NULL,
    state                         varchar(500)  DEFAULT NULL,
    authorization_code_value      varchar(100)  DEFAULT NULL,
    authorization_code_issued_at  timestamp with time zone DEFAULT NULL,
    authorization_code_expires_at timestamp with time zone DEFAULT NULL,
    authorization_code_metadata   text          DEFAULT NULL,
    access_token_value            varchar(100)  DEFAULT NULL,
    access_token_issued_at        timestamp with time zone DEFAULT NULL,
    access_token_expires_at       timestamp with time zone DEFAULT NULL,
    access_token_metadata         text          DEFAULT NULL,
    access_token_type             varchar(100)  DEFAULT NULL,
    access_token_scopes           varchar(4000) DEFAULT NULL,
    oidc_id_token_value           varchar(100)  DEFAULT NULL,
    oidc_id_token_issued_at       timestamp with time zone DEFAULT NULL,
    oidc_id_token_expires_at      timestamp with time zone DEFAULT NULL,
    oidc_id_token_metadata        text          DEFAULT NULL,
    refresh_token_value           varchar(100)  DEFAULT NULL,
    refresh_token_issued_at       timestamp with time zone DEFAULT NULL,
    refresh_token_expires_at      timestamp with time zone DEFAULT NULL,
    refresh_token_metadata        text          DEFAULT NULL,
    user_code_value               varchar(100)  DEFAULT NULL,
    user_code_issued_at           timestamp with time zone DEFAULT NULL,
    user_code_expires_at          timestamp with time zone DEFAULT NULL,
    user_code_metadata            text          DEFAULT NULL,
    device_code_value             varchar(100)  DEFAULT NULL,
    device_code_issued_at         timestamp with time zone DEFAULT NULL,
    device_code_expires_at        timestamp with time zone DEFAULT NULL,
    device_code_metadata          text          DEFAULT NULL,
    CONSTRAINT pk_oauth2_authorization PRIMARY KEY (id)
);

-- Every lookup the token, userinfo, revocation and consent paths make.
CREATE INDEX ix_oauth2_authorization_state ON oauth2_authorization (state);
CREATE INDEX ix_oauth2_authorization_code ON oauth2_authorization (authorization_code_value);
CREATE INDEX ix_oauth2_authorization_access ON oauth2_authorization (access_token_value);
CREATE INDEX ix_oauth2_authorization_id_token ON oauth2_authorization (oidc_id_token_value);
CREATE INDEX ix_oauth2_authorization_refresh ON oauth2_authorization (refresh_token_value);
CREATE INDEX ix_oauth2_authorization_user_code ON oauth2_authorization (user_code_value);
CREATE INDEX ix_oauth2_authorization_device_code ON oauth2_authorization (device_code_value);
-- Cleanup of expired rows scans by these.
CREATE INDEX ix_oauth2_authorization_rt_expiry ON oauth2_authorization (refresh_token_expires_at);
CREATE INDEX ix_oauth2_authorization_at_expiry ON oauth2_authorization (access_token_expires_at);
