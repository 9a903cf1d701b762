-- Token signing keys. The current key is the newest activated one that is not retired; retired keys stay
-- published in the JWKS until retired_at + grace period, then the cleanup deletes them.
-- private_key is the PKCS#8 DER encoding, base64.
CREATE TABLE signing_key (
    kid          varchar(100) NOT NULL,
    algorithm    varchar(20)  NOT NULL,
    public_key   text         NOT NULL,
    private_key  text         NOT NULL,
    created_at   timestamp with time zone NOT NULL,
    activated_at timestamp with time zone NOT NULL,
    retired_at   timestamp with time zone DEFAULT NULL,
    CONSTRAINT pk_signing_key PRIMARY KEY (kid)
);
