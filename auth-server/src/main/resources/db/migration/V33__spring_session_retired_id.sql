-- Session ids a sign-in (or an added factor) replaced. A request of the same session that was already under way still
-- holds the old id, and Spring Session writes the whole session row back from its copy when it ends: the old id would
-- come back, the new cookie find nothing, and the old id lead to the signed-in session. The session update refuses an
-- id listed here (RetiredSessionIds). Kept an hour, longer than any request.
CREATE TABLE spring_session_retired_id (
    session_id  char(36) NOT NULL,
    expiry_time bigint   NOT NULL,
    CONSTRAINT spring_session_retired_id_pk PRIMARY KEY (session_id)
);
CREATE INDEX spring_session_retired_id_ix1 ON spring_session_retired_id (expiry_time);
