-- Roles and the API permissions they carry (Auth0 RBAC).
CREATE TABLE tenant_role (
    name        varchar(255)  NOT NULL,
    description varchar(1000) NOT NULL,
    CONSTRAINT pk_tenant_role PRIMARY KEY (name)
);

CREATE TABLE role_permission (
    role_name                  varchar(255)  NOT NULL,
    resource_server_identifier varchar(1000) NOT NULL,
    permission_name            varchar(280)  NOT NULL,
    CONSTRAINT pk_role_permission PRIMARY KEY (role_name, resource_server_identifier, permission_name),
    CONSTRAINT fk_role_permission_role FOREIGN KEY (role_name)
        REFERENCES tenant_role (name) ON DELETE CASCADE,
    CONSTRAINT fk_role_permission_api FOREIGN KEY (resource_server_identifier)
        REFERENCES resource_server (identifier) ON DELETE CASCADE
);
