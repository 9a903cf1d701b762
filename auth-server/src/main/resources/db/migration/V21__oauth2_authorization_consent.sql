-- Remembered consent. One row per (client, user); the authorities column holds one entry per API and scope
-- ("SCOPE_<audience>#<scope>"), so consent is remembered per user, client and API. Wider than SAS's 1000 chars
-- because a user may consent to many APIs for one client.
CREATE TABLE oauth2_authorization_consent (
    registered_client_id varchar(100)  NOT NULL,
    principal_name       varchar(200)  NOT NULL,
    authorities          varchar(8000) NOT NULL,
    CONSTRAINT pk_oauth2_authorization_consent PRIMARY KEY (registered_client_id, principal_name)
);
