-- Failed-login counters. throttle_key is a SHA-256 of "account:<email>" or "address:<ip>", so the table holds
-- neither emails nor addresses typed by strangers. Kept in the database so a restart does not reset a block and
-- several instances share the counts. expires_at lets the cleanup drop rows that no longer matter.
CREATE TABLE login_throttle (
    throttle_key      varchar(100) NOT NULL,
    failures          integer      NOT NULL,
    window_started_at timestamp with time zone NOT NULL,
    blocked_until     timestamp with time zone DEFAULT NULL,
    expires_at        timestamp with time zone NOT NULL,
    CONSTRAINT pk_login_throttle PRIMARY KEY (throttle_key)
);
CREATE INDEX ix_login_throttle_expiry ON login_throttle (expires_at);
