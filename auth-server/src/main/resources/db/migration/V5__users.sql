-- Users. user_id is the token subject (auth0|<24 hex>), chosen once at first import and never changed.
-- email is stored lower-case: logins are case-insensitive and the unique constraint must agree.
-- A user removed from the tenant file is disabled, not deleted, so the same email keeps the same subject if it
-- comes back and issued tokens never start pointing at somebody else.
CREATE TABLE user_account (
    user_id         varchar(100)  NOT NULL,
    email           varchar(320)  NOT NULL,
    name            varchar(255)  NOT NULL,
    picture         varchar(2000) DEFAULT NULL,
    email_verified  boolean       NOT NULL,
    password_hash   varchar(500)  NOT NULL,
    enabled         boolean       NOT NULL,
    created_at      timestamp with time zone NOT NULL,
    CONSTRAINT pk_user_account PRIMARY KEY (user_id),
    CONSTRAINT uq_user_account_email UNIQUE (email)
);

CREATE TABLE user_role (
    user_id   varchar(100) NOT NULL,
    role_name varchar(255) NOT NULL,
    CONSTRAINT pk_user_role PRIMARY KEY (user_id, role_name),
    CONSTRAINT fk_user_role_user FOREIGN KEY (user_id) REFERENCES user_account (user_id) ON DELETE CASCADE,
    CONSTRAINT fk_user_role_role FOREIGN KEY (role_name) REFERENCES tenant_role (name) ON DELETE CASCADE
);
CREATE INDEX ix_user_role_role ON user_role (role_name);
