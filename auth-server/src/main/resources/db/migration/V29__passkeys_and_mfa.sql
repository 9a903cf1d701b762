-- Passkeys and multi-factor login (issue 15).

-- The tenant file's database connection (Deploy CLI "databases"): whether passkeys may be used, whether a new user
-- may sign up with one, and which applications may use the connection. One row per connection name.
CREATE TABLE tenant_connection (
    name                    varchar(255) NOT NULL,
    strategy                varchar(30)  NOT NULL,
    enabled_clients         text         DEFAULT NULL,
    password_enabled        boolean      NOT NULL,
    passkey_enabled         boolean      NOT NULL,
    challenge_ui            varchar(30)  NOT NULL,
    progressive_enrollment  boolean      NOT NULL,
    local_enrollment        boolean      NOT NULL,
    disable_signup          boolean      NOT NULL,
    CONSTRAINT pk_tenant_connection PRIMARY KEY (name)
);

-- Tenant-wide settings from the tenant file that are a single value each (guardianFactors, guardianPolicies).
CREATE TABLE tenant_setting (
    setting_key   varchar(100) NOT NULL,
    setting_value text         NOT NULL,
    CONSTRAINT pk_tenant_setting PRIMARY KEY (setting_key)
);

-- A user who signed up with a passkey through the SDK has no password and is not in the tenant file: the import
-- leaves such users alone instead of disabling them.
ALTER TABLE user_account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE user_account ADD COLUMN signed_up boolean DEFAULT FALSE NOT NULL;

-- Spring Security's WebAuthn stores (JdbcPublicKeyCredentialUserEntityRepository, JdbcUserCredentialRepository), in
-- their own schema, written once for H2 (PostgreSQL mode) and PostgreSQL. user_entities.name is the user's subject
-- (user_account.user_id); id is the random user handle the authenticators keep.
CREATE TABLE user_entities (
    id           varchar(1000) NOT NULL,
    name         varchar(100)  NOT NULL,
    display_name varchar(200)  DEFAULT NULL,
    CONSTRAINT pk_user_entities PRIMARY KEY (id),
    CONSTRAINT uq_user_entities_name UNIQUE (name),
    CONSTRAINT fk_user_entities_user FOREIGN KEY (name) REFERENCES user_account (user_id) ON DELETE CASCADE
);

CREATE TABLE user_credentials (
    credential_id                varchar(1000) NOT NULL,
    user_entity_user_id          varchar(1000) NOT NULL,
    public_key                   bytea         NOT NULL,
    signature_count              bigint        DEFAULT NULL,
    uv_initialized               boolean       DEFAULT NULL,
    backup_eligible              boolean       NOT NULL,
    authenticator_transports     varchar(1000) DEFAULT NULL,
    public_key_credential_type   varchar(100)  DEFAULT NULL,
    backup_state                 boolean       NOT NULL,
    attestation_object           bytea         DEFAULT NULL,
    attestation_client_data_json bytea         DEFAULT NULL,
    created                      timestamp     DEFAULT NULL,
    last_used                    timestamp     DEFAULT NULL,
    label                        varchar(1000) NOT NULL,
    CONSTRAINT pk_user_credentials PRIMARY KEY (credential_id),
    CONSTRAINT fk_user_credentials_entity FOREIGN KEY (user_entity_user_id) REFERENCES user_entities (id)
        ON DELETE CASCADE
);
CREATE INDEX ix_user_credentials_user ON user_credentials (user_entity_user_id);

-- WebAuthn challenges already answered, by SHA-256: a challenge is good for one ceremony, on any instance, even when
-- two requests bring the same answer at the same moment. Rows are dropped by the cleanup once the challenge expired.
CREATE TABLE webauthn_challenge_used (
    challenge_hash varchar(100) NOT NULL,
    expires_at     timestamp with time zone NOT NULL,
    CONSTRAINT pk_webauthn_challenge_used PRIMARY KEY (challenge_hash)
);
CREATE INDEX ix_webauthn_challenge_used_expiry ON webauthn_challenge_used (expires_at);

-- The SDK's passkey API (/passkey/register, /passkey/challenge, then the webauthn grant at /oauth/token): the
-- auth_session handed to the app is a random token; only its SHA-256 is stored, with the ceremony it started.
CREATE TABLE passkey_auth_session (
    session_hash varchar(100) NOT NULL,
    client_id    varchar(255) NOT NULL,
    kind         varchar(20)  NOT NULL,
    ceremony     text         NOT NULL,
    expires_at   timestamp with time zone NOT NULL,
    CONSTRAINT pk_passkey_auth_session PRIMARY KEY (session_hash)
);
CREATE INDEX ix_passkey_auth_session_expiry ON passkey_auth_session (expires_at);

-- Authenticator-app (TOTP) second factor. The secret must be read back to check codes, so it cannot be hashed;
-- last_used_step is the RFC 6238 time step of the last accepted code: a code is accepted once, never again.
CREATE TABLE user_totp (
    user_id        varchar(100) NOT NULL,
    secret         varchar(200) NOT NULL,
    last_used_step bigint       NOT NULL,
    created_at     timestamp with time zone NOT NULL,
    CONSTRAINT pk_user_totp PRIMARY KEY (user_id),
    CONSTRAINT fk_user_totp_user FOREIGN KEY (user_id) REFERENCES user_account (user_id) ON DELETE CASCADE
);

-- Recovery codes, shown once at enrollment and stored as SHA-256 only; a used code is deleted.
CREATE TABLE user_recovery_code (
    user_id    varchar(100) NOT NULL,
    code_hash  varchar(100) NOT NULL,
    CONSTRAINT pk_user_recovery_code PRIMARY KEY (user_id, code_hash),
    CONSTRAINT fk_user_recovery_code_user FOREIGN KEY (user_id) REFERENCES user_account (user_id) ON DELETE CASCADE
);
