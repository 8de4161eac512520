-- Surveys count their saves: a change names the revision it was made against
-- (If-Match), and a response is stored only if the survey it was checked against is
-- still the stored one. Existing surveys start at revision 1.
ALTER TABLE surveys ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;

-- The SHA-256 of a response's resume token; the token itself is given out once.
-- NULL for a response that cannot be resumed.
ALTER TABLE survey_responses ADD COLUMN resume_sha256 BLOB;

-- Secrets the server makes once and every node shares (the key that signs survey
-- invitations), by name.
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    secret BLOB NOT NULL
);
