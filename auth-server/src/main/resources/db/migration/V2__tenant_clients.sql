-- Applications from the tenant file. The URL lists (callbacks, logout URLs, origins) and grant types are always
-- read and written with their client as a whole and never searched one by one, so they are stored as
-- newline-separated text rather than child tables.
-- client_secret_hash holds a DelegatingPasswordEncoder hash ({bcrypt}...), never the secret itself.
CREATE TABLE tenant_client (
    client_id                   varchar(255)  NOT NULL,
    name                        varchar(255)  NOT NULL,
    client_secret_hash          varchar(500)  DEFAULT NULL,
    app_type                    varchar(30)   NOT NULL,
    callbacks                   text          NOT NULL,
    allowed_logout_urls         text          NOT NULL,
    web_origins                 text          NOT NULL,
    allowed_origins             text          NOT NULL,
    grant_types                 text          NOT NULL,
    is_first_party              boolean       NOT NULL,
    rt_rotation_type            varchar(30)   DEFAULT NULL,
    rt_expiration_type          varchar(30)   DEFAULT NULL,
    rt_token_lifetime           bigint        DEFAULT NULL,
    rt_idle_token_lifetime      bigint        DEFAULT NULL,
    CONSTRAINT pk_tenant_client PRIMARY KEY (client_id)
);
