-- Named locks for what every instance must decide the same way exactly once: signing keys and the tenant import
-- take a row lock here (SELECT ... FOR UPDATE) inside their transaction, so instances starting together take turns.
CREATE TABLE gatehouse_lock (
    name varchar(50) NOT NULL,
    CONSTRAINT pk_gatehouse_lock PRIMARY KEY (name)
);
INSERT INTO gatehouse_lock (name) VALUES ('signing-keys');
INSERT INTO gatehouse_lock (name) VALUES ('tenant-import');
