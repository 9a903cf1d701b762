-- A machine client's permission to get tokens for an API, with the scopes it may receive (space-separated).
CREATE TABLE client_grant (
    client_id  varchar(255)  NOT NULL,
    audience   varchar(1000) NOT NULL,
    scopes     text          NOT NULL,
    CONSTRAINT pk_client_grant PRIMARY KEY (client_id, audience),
    CONSTRAINT fk_client_grant_client FOREIGN KEY (client_id)
        REFERENCES tenant_client (client_id) ON DELETE CASCADE,
    CONSTRAINT fk_client_grant_api FOREIGN KEY (audience)
        REFERENCES resource_server (identifier) ON DELETE CASCADE
);
