-- DPoP (RFC 9449) at the token endpoint.

-- Proofs already presented, by a hash of their jti, until they are too old to be accepted anyway: a proof replayed on
-- any instance sharing this database is refused. The primary key decides between two instances inserting at once.
CREATE TABLE dpop_proof_jti (
    jti_hash   varchar(64)              NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT pk_dpop_proof_jti PRIMARY KEY (jti_hash)
);
CREATE INDEX ix_dpop_proof_jti_expiry ON dpop_proof_jti (expires_at);

-- The key server nonces (gatehouse.dpop.nonce) are computed with, the same on every instance: created by the first
-- instance that needs it, read by the others.
CREATE TABLE dpop_nonce_key (
    id         integer      NOT NULL,
    secret     varchar(100) NOT NULL,
    CONSTRAINT pk_dpop_nonce_key PRIMARY KEY (id)
);

-- Auth0's proof-of-possession settings from the tenant file: an API's proof_of_possession {mechanism: dpop, required}
-- and a client's require_proof_of_possession.
ALTER TABLE resource_server ADD COLUMN pop_mechanism varchar(20) DEFAULT NULL;
ALTER TABLE resource_server ADD COLUMN pop_required boolean DEFAULT FALSE NOT NULL;
ALTER TABLE tenant_client ADD COLUMN require_proof_of_possession boolean DEFAULT FALSE NOT NULL;
