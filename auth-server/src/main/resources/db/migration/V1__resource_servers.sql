-- APIs from the tenant file (Auth0 "resource servers"). One script for H2 (MODE=PostgreSQL) and PostgreSQL:
-- only types both understand (varchar, bigint, boolean, timestamp with time zone, text).
CREATE TABLE resource_server (
    identifier                 varchar(1000) NOT NULL,
    name                       varchar(255)  NOT NULL,
    token_lifetime             bigint        NOT NULL,
    token_lifetime_for_web     bigint        NOT NULL,
    allow_offline_access       boolean       NOT NULL,
    enforce_policies           boolean       NOT NULL,
    token_dialect              varchar(50)   NOT NULL,
    skip_consent_first_party   boolean       NOT NULL,
    CONSTRAINT pk_resource_server PRIMARY KEY (identifier)
);

-- An API's scopes; sort_order keeps the file's order for consent pages and discovery.
CREATE TABLE resource_server_scope (
    resource_server_identifier varchar(1000) NOT NULL,
    scope_value                varchar(280)  NOT NULL,
    description                varchar(1000) NOT NULL,
    sort_order                 integer       NOT NULL,
    CONSTRAINT pk_resource_server_scope PRIMARY KEY (resource_server_identifier, scope_value),
    CONSTRAINT fk_resource_server_scope_api FOREIGN KEY (resource_server_identifier)
        REFERENCES resource_server (identifier) ON DELETE CASCADE
);
